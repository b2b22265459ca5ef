/** A response of the service with its JSON body parsed. */
export interface ServiceResponse {
  status: number;
  body: unknown;
}

/** Sends requests to the service's HTTP routes with fetch. */
export class ServiceClient {
  constructor(readonly baseUrl: string) {}

  /** Sends a request; a `body` other than a string is sent as JSON. */
  async fetch(
    requestPath: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<ServiceResponse> {
    const hasBody = init.body !== undefined;
    const response = await fetch(new URL(requestPath, this.baseUrl), {
      method: init.method ?? 'GET',
      headers: hasBody ? { 'content-type': 'application/json' } : {},
      body: hasBody ? serializeBody(init.body) : undefined,
    });

    const text = await response.text();
    return { status: response.status, body: parseJson(text) };
  }
}

function serializeBody(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
