import { PassThrough } from 'stream';
import { FrameHeader, OPCODE, watchFrameHeaders } from '../../src/local/websocket-frames';

/** A masked client frame (RFC 6455, section 5.2) with a payload of `bytes` bytes. */
function frame(opcode: number, bytes: number, fin = true): Buffer {
  const extended = bytes < 126 ? Buffer.alloc(0) : Buffer.alloc(bytes < 65536 ? 2 : 8);
  if (extended.length === 2) {
    extended.writeUInt16BE(bytes);
  } else if (extended.length === 8) {
    extended.writeBigUInt64BE(BigInt(bytes));
  }
  const length7 = bytes < 126 ? bytes : bytes < 65536 ? 126 : 127;
  const mask = [1, 2, 3, 4];
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) + opcode, 0x80 + length7]), extended, Buffer.from(mask), Buffer.alloc(bytes, 7)]);
}

function watch(chunks: Buffer[], stopAfter = Infinity): FrameHeader[] {
  const socket = new PassThrough();
  const frames: FrameHeader[] = [];
  watchFrameHeaders(socket, header => frames.push(header) < stopAfter);
  socket.on('data', () => undefined);
  chunks.forEach(chunk => socket.write(chunk));
  return frames;
}

test('reads the opcode and payload length of 7-bit, 16-bit and 64-bit length frames', () => {
  const frames = watch([Buffer.concat([
    frame(OPCODE.text, 5, false), frame(OPCODE.continuation, 40_000, false), frame(OPCODE.continuation, 70_000),
  ])]);
  expect(frames).toEqual([
    { opcode: OPCODE.text, payloadBytes: 5 },
    { opcode: OPCODE.continuation, payloadBytes: 40_000 },
    { opcode: OPCODE.continuation, payloadBytes: 70_000 },
  ]);
});

test('follows frames split across chunks at any byte, headers included', () => {
  const bytes = Buffer.concat([frame(OPCODE.binary, 300), frame(OPCODE.text, 2)]);
  for (const at of [1, 2, 3, 5, 8, 200, bytes.length - 3]) {
    expect(watch([bytes.subarray(0, at), bytes.subarray(at)])).toEqual([
      { opcode: OPCODE.binary, payloadBytes: 300 }, { opcode: OPCODE.text, payloadBytes: 2 },
    ]);
  }
  const oneByteAtATime = [...bytes].map(b => Buffer.from([b]));
  expect(watch(oneByteAtATime)).toHaveLength(2);
});

test('stops reporting when the callback returns false', () => {
  const frames = watch([Buffer.concat([frame(OPCODE.binary, 1), frame(OPCODE.text, 1)])], 1);
  expect(frames).toEqual([{ opcode: OPCODE.binary, payloadBytes: 1 }]);
});
