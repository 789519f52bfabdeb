// The SVD of a clearly tall matrix through its QR factorisation.
#pragma once
#include "lapack.hpp"
#include "linalg.hpp"

namespace effrank::detail {

// True when svdTallByQr is the faster route for a column-major M×N matrix
// (M ≥ N) and the vectors asked for: at least twice as many rows as columns,
// thin vectors or none.
bool useTallRoute(Index M, Index N, Vectors vectors);

// B (column-major M×N, M ≥ 2N, destroyed) = Q·R by ?geqrt; R = U_R·Σ·V_Rᵀ by
// ?gesdd (?gesvd if that does not converge); U_B = Q·[U_R; 0] by ?gemqrt,
// without forming Q. Writes the N values, descending, to s. With vectors:
// - transposed = false: U_B column-major to left (leading dimension M) and
//   V_Bᵀ column-major to right (N×N);
// - transposed = true: U_Bᵀ column-major to left (N×M, leading dimension N:
//   U_B row-major) and V_B column-major to right (V_Bᵀ row-major).
// Throws NoConvergence if both SVDs of R fail.
template <class T>
void svdTallByQr(T* b, lapack_int M, lapack_int N, Vectors vectors, bool transposed, T* s, T* left, T* right);

}  // namespace effrank::detail
