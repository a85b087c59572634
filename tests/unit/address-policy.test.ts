import { describe, expect, it } from 'vitest';
import { publicAddressesOnly } from '../../src/lib/net/address-policy.js';

describe('the address policy of external $ref fetches', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['100.64.0.1', 'shared address space'],
    ['224.0.0.1', 'multicast or reserved'],
    ['255.255.255.255', 'multicast or reserved'],
    ['ff02::1', 'multicast or reserved'],
  ])('refuses %s (%s)', (address, label) => {
    expect(publicAddressesOnly(address)).toBe(label);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:172.20.0.1', 'private'],
    ['::ffff:192.168.0.10', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
  ])('refuses the IPv4-mapped form %s (%s)', (address, label) => {
    expect(publicAddressesOnly(address)).toBe(label);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255',
    '172.32.0.1',
    '192.169.0.1',
    '169.255.0.1',
    '11.0.0.1',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '2606:4700::1111',
  ])('lets the public address %s through', (address) => {
    expect(publicAddressesOnly(address)).toBeUndefined();
  });

  it('refuses what is not an address at all', () => {
    expect(publicAddressesOnly('localhost')).toBe('not an IP address');
    expect(publicAddressesOnly('')).toBe('not an IP address');
  });
});
