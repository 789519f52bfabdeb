"""Decodes a TensorBoard event file with python3-protobuf (classes compiled by protoc
from event.proto into the directory given as argv[1]); prints one JSON object per event.
Framing is read here too, with Python's own CRC-32C (bitwise), independent of the TS reader."""
import json
import struct
import sys

sys.path.insert(0, sys.argv[1])
import event_pb2  # noqa: E402


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c ^= b
        for _ in range(8):
            c = (c >> 1) ^ (0x82F63B78 if c & 1 else 0)
    return c ^ 0xFFFFFFFF


def masked(c):
    return ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


raw = open(sys.argv[2], 'rb').read()
at = 0
while at < len(raw):
    (length,) = struct.unpack_from('<Q', raw, at)
    (length_crc,) = struct.unpack_from('<I', raw, at + 8)
    assert length_crc == masked(crc32c(raw[at:at + 8])), 'length crc'
    data = raw[at + 12:at + 12 + length]
    (data_crc,) = struct.unpack_from('<I', raw, at + 12 + length)
    assert data_crc == masked(crc32c(data)), 'data crc'
    at += 16 + length
    e = event_pb2.Event()
    e.ParseFromString(data)
    values = []
    for v in e.summary.value:
        item = {'tag': v.tag, 'plugin': v.metadata.plugin_data.plugin_name}
        if v.HasField('tensor'):
            item['doubles'] = list(v.tensor.double_val)
            item['strings'] = [s.decode('utf-8') for s in v.tensor.string_val]
            item['dtype'] = v.tensor.dtype
        if v.HasField('histo'):
            item['num'] = v.histo.num
            item['bucket'] = list(v.histo.bucket)
        values.append(item)
    print(json.dumps({'step': e.step, 'wall_time': e.wall_time, 'file_version': e.file_version, 'values': values}))
