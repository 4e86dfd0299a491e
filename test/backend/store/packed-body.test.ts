/**
 * The packed form of a stored body (store/packed-body.ts): what is packed is read back exactly, whatever the text
 * holds; a pack of the first layout (one JSON document) stored by an earlier version is still read; a damaged
 * pack is an error naming the message.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { contentHash, packBody, unpackBody } from '../../../src/backend/store/packed-body.js';

describe('packed body', () => {
  it('reads back the raw text and every attachment exactly: newlines, quotes, escapes, non-ASCII, empty data', () => {
    const raw = '<?xml version="1.0"?>\n<a>"quoted" \\ back\\slash &lt; ünïcødé 日本 🚀</a>\n';
    const attachments = [
      { name: 'show logging', data: '*Nov 23: %LINK-3-UPDOWN: "Gi0/1" down\r\nline two\n' },
      { name: 'empty', data: '' },
      { name: 'show version', data: 'Cisco IOS XE 17.3 — ROM: 日本\n{"v":2,"raw":5}\n' },
    ];
    const packed = packBody(raw, attachments);
    expect(packed.contentHash).toBe(contentHash(raw));
    expect(unpackBody(packed.bytes, 7)).toEqual({ raw, attachments });
    expect(unpackBody(packBody('', []).bytes, 8)).toEqual({ raw: '', attachments: [] });
  });

  it('reads a body packed in the first layout (one JSON document), as databases written before hold', () => {
    const raw = '<a>one</a>';
    const attachments = [{ name: 'show clock', data: '10:00:00.000 UTC Mon Dec 7 2026\n' }];
    expect(unpackBody(gzipSync(JSON.stringify({ raw, attachments })), 3)).toEqual({ raw, attachments });
  });

  it('says which message cannot be read when its pack is damaged', () => {
    const packed = packBody('<a>one</a>', [{ name: 'x', data: 'abc' }]);
    expect(() => unpackBody(packed.bytes.subarray(0, 10), 41)).toThrow(/message 41: its stored body cannot be read/);
    const lying = gzipSync(`${JSON.stringify({ v: 2, raw: 50, attachments: [] })}\n<a/>`);
    expect(() => unpackBody(lying, 42)).toThrow(/message 42: .*runs past its end/);
    const longer = gzipSync(`${JSON.stringify({ v: 2, raw: 2, attachments: [] })}\n<a/>`);
    expect(() => unpackBody(longer, 43)).toThrow(/message 43: .*more than its header says/);
  });
});
