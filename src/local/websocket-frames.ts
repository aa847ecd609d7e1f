import { Duplex } from 'stream';

/** WebSocket opcodes (RFC 6455, section 5.2). */
export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2 } as const;

/** What a frame header says: its opcode and the length of its payload. */
export interface FrameHeader {
  readonly opcode: number;
  readonly payloadBytes: number;
}

/**
 * Reports the header of each frame a client sends, read from the raw socket ahead of `ws` (which has no per-frame
 * hook: its `maxPayload` bounds whole messages). Only the 2 to 14 header bytes of each frame are read (RFC 6455,
 * section 5.2) and payloads are skipped; `ws` still does all the parsing (masking, fragments, UTF-8, close frames).
 * Reporting stops when `onFrame` returns false.
 */
export function watchFrameHeaders(socket: Duplex, onFrame: (frame: FrameHeader) => boolean): void {
  let header: number[] = [];
  let skip = 0;
  const onData = (chunk: Buffer) => {
    let offset = 0;
    while (offset < chunk.length) {
      if (skip > 0) {
        const skipped = Math.min(skip, chunk.length - offset);
        skip -= skipped;
        offset += skipped;
        continue;
      }
      header.push(chunk[offset++]);
      const length = header.length >= 2 ? headerLength(header[1]) : Infinity;
      if (header.length === length) {
        const frame = { opcode: header[0] % 0x10, payloadBytes: payloadLength(header) };
        header = [];
        skip = frame.payloadBytes;
        if (!onFrame(frame)) {
          socket.removeListener('data', onData);
          return;
        }
      }
    }
  };
  socket.prependListener('data', onData);
}

// The first byte holds FIN and the opcode (its low 4 bits); the second the MASK bit (its high bit) and a 7-bit length.

/** Bytes in a frame header, from its second byte: 2, plus 2 or 8 for an extended length, plus 4 for a mask. */
function headerLength(secondByte: number): number {
  const length7 = secondByte % 0x80;
  return 2 + (length7 === 126 ? 2 : length7 === 127 ? 8 : 0) + (secondByte >= 0x80 ? 4 : 0);
}

function payloadLength(header: number[]): number {
  const length7 = header[1] % 0x80;
  if (length7 === 126) {
    return header[2] * 256 + header[3];
  }
  if (length7 === 127) {
    // 64-bit length: the top 4 bytes only matter for frames of 4 GB and more.
    return header.slice(2, 10).reduce((n, byte) => n * 256 + byte, 0);
  }
  return length7;
}
