import { BlockList, isIP } from 'node:net';

/** Why an address may not be reached (a short name of its range), or undefined when it may. */
export type AddressPolicy = (address: string) => string | undefined;

type Range = [network: string, prefix: number, family: 'ipv4' | 'ipv6'];

/**
 * Ranges a fetch on behalf of a document someone else wrote must not reach: the runner itself, the
 * networks around it, and cloud metadata services (169.254.169.254). Node's BlockList also matches
 * the IPv4-mapped IPv6 form of each IPv4 range (::ffff:127.0.0.1).
 */
const REFUSED: [label: string, ranges: Range[]][] = [
  [
    'loopback',
    [
      ['127.0.0.0', 8, 'ipv4'],
      ['::1', 128, 'ipv6'],
    ],
  ],
  [
    'private',
    [
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['fc00::', 7, 'ipv6'],
    ],
  ],
  [
    'link-local',
    [
      ['169.254.0.0', 16, 'ipv4'],
      ['fe80::', 10, 'ipv6'],
    ],
  ],
  [
    'unspecified',
    [
      ['0.0.0.0', 8, 'ipv4'],
      ['::', 128, 'ipv6'],
    ],
  ],
  ['shared address space', [['100.64.0.0', 10, 'ipv4']]],
  [
    'multicast or reserved',
    [
      ['224.0.0.0', 3, 'ipv4'],
      ['ff00::', 8, 'ipv6'],
    ],
  ],
];

const lists = REFUSED.map(([label, ranges]) => {
  const list = new BlockList();
  for (const [network, prefix, family] of ranges) list.addSubnet(network, prefix, family);
  return [label, list] as const;
});

/** The default policy: public addresses only. */
export const publicAddressesOnly: AddressPolicy = (address) => {
  const bare = address.replace(/%.*$/, ''); // an IPv6 zone (fe80::1%eth0) is not part of the address
  const family = isIP(bare);
  if (family === 0) return 'not an IP address';
  for (const [label, list] of lists) if (list.check(bare, family === 4 ? 'ipv4' : 'ipv6')) return label;
  return undefined;
};
