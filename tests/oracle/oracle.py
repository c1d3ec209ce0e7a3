"""The oracle: Google's protobuf runtime (the Python `protobuf` package, upb
backend) reading the round trip's bytes and JSON. Driven by tests/oracle/mod.rs.

Reads one JSON document on stdin: {"pools": [hex FileDescriptorSet, ...],
"jobs": [...]}, a job being
  {"binary": hex, "pool": i, "message": name, "back": j (optional)}: parse the
      bytes (ParseFromString), give what the application sees, the unknown
      fields and the re-serialization; with "back", the re-serialization
      parsed again by pool j's class;
  {"json": text, "pool": i, "message": name, "strict": bool}: json_format.Parse
      (ignore_unknown_fields when not strict).
Writes {"version", "implementation", "results": [...]} on stdout. Messages are
trees in the form src/roundtrip/inspect.rs documents.
"""

import json
import struct
import sys

import google.protobuf
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from google.protobuf import unknown_fields
from google.protobuf.descriptor import FieldDescriptor as FD
from google.protobuf.internal import api_implementation

INTS = {
    FD.TYPE_INT32, FD.TYPE_INT64, FD.TYPE_UINT32, FD.TYPE_UINT64,
    FD.TYPE_SINT32, FD.TYPE_SINT64, FD.TYPE_FIXED32, FD.TYPE_FIXED64,
    FD.TYPE_SFIXED32, FD.TYPE_SFIXED64,
}


def is_map(fd):
    return fd.message_type is not None and fd.message_type.GetOptions().map_entry


def is_repeated(fd):
    return fd.is_repeated


def scalar(fd, v):
    t = fd.type
    if t == FD.TYPE_BOOL:
        return {"b": bool(v)}
    if t in INTS:
        return {"i": str(int(v))}
    if t == FD.TYPE_ENUM:
        return {"e": int(v)}
    if t == FD.TYPE_FLOAT:
        return {"f32": struct.pack(">f", v).hex()}
    if t == FD.TYPE_DOUBLE:
        return {"f64": struct.pack(">d", v).hex()}
    if t == FD.TYPE_STRING:
        # A proto2 string that is not UTF-8 comes back as bytes.
        raw = v if isinstance(v, bytes) else v.encode("utf-8")
        return {"s": raw.hex()}
    if t == FD.TYPE_BYTES:
        return {"y": bytes(v).hex()}
    return tree(v)


def key_text(v):
    return json.dumps(v, separators=(",", ":"))


def tree(m):
    f, d = {}, {}
    for fd, v in m.ListFields():
        n = str(fd.number)
        if is_map(fd):
            kf = fd.message_type.fields_by_number[1]
            vf = fd.message_type.fields_by_number[2]
            entries = [[scalar(kf, k), scalar(vf, v[k])] for k in v]
            entries.sort(key=lambda e: key_text(e[0]))
            f[n] = entries
        elif is_repeated(fd):
            f[n] = [scalar(fd, x) for x in v]
        else:
            f[n] = scalar(fd, v)
    for fd in m.DESCRIPTOR.fields:
        n = str(fd.number)
        if n in f or is_repeated(fd) or fd.message_type is not None:
            continue
        d[n] = scalar(fd, fd.default_value)
    pool = m.DESCRIPTOR.file.pool
    for fd in pool.FindAllExtensions(m.DESCRIPTOR):
        n = str(fd.number)
        if n in f or is_repeated(fd) or fd.message_type is not None:
            continue
        d[n] = scalar(fd, m.Extensions[fd])
    u = [record(r) for r in unknown_fields.UnknownFieldSet(m)]
    return {"f": f, "d": d, "u": u}


def record(r):
    w, data = r.wire_type, r.data
    if w == 0:
        v = "v:%d" % data
    elif w == 1:
        v = "8:%016x" % data
    elif w == 5:
        v = "4:%08x" % data
    elif w == 2:
        v = "l:" + bytes(data).hex()
    else:
        v = [record(x) for x in data]
    return [r.field_number, w, v]


def main():
    doc = json.load(sys.stdin)
    pools = []
    for b in doc["pools"]:
        pool = descriptor_pool.DescriptorPool()
        fds = descriptor_pb2.FileDescriptorSet.FromString(bytes.fromhex(b))
        for f in fds.file:
            pool.Add(f)
        pools.append(pool)
    classes = {}

    def cls(i, name):
        if (i, name) not in classes:
            classes[(i, name)] = message_factory.GetMessageClass(
                pools[i].FindMessageTypeByName(name))
        return classes[(i, name)]

    results = []
    for job in doc["jobs"]:
        m = cls(job["pool"], job["message"])()
        out = {"error": None}
        try:
            if "binary" in job:
                m.ParseFromString(bytes.fromhex(job["binary"]))
            else:
                json_format.Parse(job["json"], m, ignore_unknown_fields=not job["strict"])
        except Exception as e:  # the runtime's verdict, whatever its class
            out["error"] = "%s: %s" % (type(e).__name__, e)
            results.append(out)
            continue
        out["missing"] = m.FindInitializationErrors()
        out["tree"] = tree(m)
        if "binary" in job:
            again = m.SerializePartialToString()
            out["reencoded"] = again.hex()
            if "back" in job:
                b = cls(job["back"], job["message"])()
                try:
                    b.ParseFromString(again)
                    out["back"] = tree(b)
                except Exception as e:
                    out["back"] = None
                    out["back_error"] = "%s: %s" % (type(e).__name__, e)
        results.append(out)
    json.dump({
        "version": google.protobuf.__version__,
        "implementation": api_implementation.Type(),
        "results": results,
    }, sys.stdout)


main()
