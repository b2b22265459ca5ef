import type { IncomingMessage } from 'node:http';
import { validationError } from './api-error.js';

/**
 * Reads a request body of at most `maxBytes`. A larger body is read to its end but not kept,
 * so memory stays bounded and the client still receives the 413 instead of a reset connection.
 */
export async function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  let chunks: Buffer[] = [];
  let totalBytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    totalBytes += chunk.length;
    if (totalBytes > maxBytes) {
      chunks = [];
    } else {
      chunks.push(chunk);
    }
  }

  if (totalBytes > maxBytes) {
    throw validationError(
      `Request body of ${totalBytes} bytes exceeds the limit of ${maxBytes} bytes.`,
      413,
    );
  }
  return Buffer.concat(chunks, totalBytes);
}

export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const body = await readRequestBody(request, maxBytes);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw validationError('The request body must be valid JSON.');
  }
}

/** Reads and discards a body that the response does not use (errors, injected faults). */
export async function discardRequestBody(request: IncomingMessage): Promise<void> {
  if (request.readableEnded) {
    return;
  }
  for await (const chunk of request as AsyncIterable<Buffer>) {
    void chunk;
  }
}
