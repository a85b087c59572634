import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { publicAddressesOnly, type AddressPolicy } from './address-policy.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface GuardedFetchOptions {
  timeoutMs: number;
  /** Largest body read; a larger answer is refused, not cut. */
  maxBytes: number;
  /** Which addresses may be reached (default: public ones only). */
  policy?: AddressPolicy;
  /** Every address of a host name (default: the system resolver, as for every program on the runner). */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
}

/** A fetch that was refused or failed; the message says why, to follow "<url> …". */
export class GuardedFetchError extends Error {
  override readonly name = 'GuardedFetchError';
}

const systemResolve = (hostname: string) => lookup(hostname, { all: true, verbatim: true });

/**
 * GETs an http(s) URL named by content nobody here vouches for (a `$ref` in a pull request). The host
 * name is resolved once and every address it has is checked against the policy; the connection then
 * goes to the checked address (the socket's own lookup is pinned to it), so a second DNS answer cannot
 * send it elsewhere (DNS rebinding). Redirects are refused, not followed: where they lead is not checked.
 */
export async function guardedFetchText(url: string, opts: GuardedFetchOptions): Promise<string> {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new GuardedFetchError(`uses ${target.protocol}; only http and https are fetched`);
  }
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await resolveAll(host, opts.resolve ?? systemResolve);
  const policy = opts.policy ?? publicAddressesOnly;
  for (const a of addresses) {
    const refused = policy(a.address);
    if (refused) {
      const what = `${/^[aeiou]/.test(refused) ? 'an' : 'a'} ${refused} address`;
      const where = host === a.address ? 'is' : `resolves to ${a.address}, which is`;
      throw new GuardedFetchError(`${where} ${what}; external references may only reach public addresses`);
    }
  }
  const checked = addresses[0]!;
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: checked.address, family: checked.family }]);
    else callback(null, checked.address, checked.family);
  };
  return get(target, pinned, opts);
}

async function resolveAll(
  host: string,
  resolve: (hostname: string) => Promise<ResolvedAddress[]>,
): Promise<ResolvedAddress[]> {
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(host);
  } catch (err) {
    throw new GuardedFetchError(`could not be resolved: ${(err as Error).message}`);
  }
  if (addresses.length === 0) throw new GuardedFetchError(`has no address (${host})`);
  return addresses;
}

function get(target: URL, lookup: LookupFunction, opts: GuardedFetchOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    // agent: false: a socket of its own, never one pooled for the same host name by another request.
    const accept = 'application/json, application/yaml;q=0.9, */*;q=0.5';
    const req = send(target, { method: 'GET', lookup, agent: false, headers: { accept } });
    const late = () => req.destroy(new GuardedFetchError(`did not answer within ${opts.timeoutMs} ms`));
    const timer = setTimeout(late, opts.timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      req.destroy();
      reject(
        err instanceof GuardedFetchError
          ? err
          : new GuardedFetchError(`could not be fetched: ${err.message}`),
      );
    };
    req.on('error', fail);
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        const to = res.headers.location ?? '(no location)';
        return fail(
          new GuardedFetchError(
            `answered HTTP ${status}, a redirect to ${to}; ` +
              'redirects are not followed (where they lead is not checked): reference the final URL',
          ),
        );
      }
      if (status < 200 || status >= 300) return fail(new GuardedFetchError(`answered HTTP ${status}`));
      if (Number(res.headers['content-length'] ?? 0) > opts.maxBytes) {
        const announced = res.headers['content-length'];
        return fail(
          new GuardedFetchError(`is ${announced} bytes, more than the ${opts.maxBytes} a document may have`),
        );
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > opts.maxBytes)
          fail(new GuardedFetchError(`is more than the ${opts.maxBytes} bytes a document may have`));
        else chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
    req.end();
  });
}
