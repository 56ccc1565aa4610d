#!/usr/bin/env python3
"""Writes the small PNG fixtures of Tests/RuntimeTests/Fixtures (standard library only).

gray_4x2.png: 8-bit grey, 4 wide, 2 high, pixels 0, 51, 102, 153 / 204, 255, 0, 255.
rgb_2x1.png:  8-bit RGB, 2 wide, 1 high, pixels (255, 0, 0), (0, 128, 255).
"""
import os
import struct
import zlib

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "RuntimeTests", "Fixtures")


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, color_type, rows):
    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def main():
    os.makedirs(HERE, exist_ok=True)
    with open(os.path.join(HERE, "gray_4x2.png"), "wb") as f:
        f.write(png(4, 2, 0, [[0, 51, 102, 153], [204, 255, 0, 255]]))
    with open(os.path.join(HERE, "rgb_2x1.png"), "wb") as f:
        f.write(png(2, 1, 2, [[255, 0, 0, 0, 128, 255]]))


if __name__ == "__main__":
    main()
