// Which sockets agnhost's server subcommands open, from the flags and environment the upstream
// e2e suites give them (test/images/agnhost: serve-hostname, netexec, porter).
import { describe, expect, it } from 'vitest';
import { appFor } from './images';
import { serve } from './serve';

const image = 'registry.k8s.io/e2e-test-images/agnhost:2.53';
const ctx = { podName: 'a', now: 0, client: { ip: '10.244.2.3', port: 40000 } };

describe('agnhost sockets', () => {
  it('serve-hostname takes --port N as one or two arguments; --udp alone serves UDP', () => {
    expect(appFor({ name: 'c', image, command: ['/agnhost', 'serve-hostname', '--tcp', '--http=false', '--port', '80'] }).listens).toEqual([{ port: 80, protocol: 'TCP' }]);
    expect(appFor({ name: 'c', image, command: ['/agnhost', 'serve-hostname', '--udp', '--http=false', '--port=81'] }).listens).toEqual([{ port: 81, protocol: 'UDP' }]);
    expect(appFor({ name: 'c', image, args: ['serve-hostname'] }).listens).toEqual([{ port: 9376, protocol: 'TCP' }]);
  });
  it('porter opens one socket per SERVE_*_PORT_N variable and answers with its value', () => {
    const c = { name: 'c', image, command: ['/agnhost', 'porter'], env: [{ name: 'SERVE_SCTP_PORT_80', value: 'foo' }, { name: 'SERVE_PORT_9001', value: 'bar' }, { name: 'SERVE_UDP_PORT_9002', value: 'baz' }, { name: 'OTHER', value: 'x' }] };
    expect(appFor(c).listens).toEqual([{ port: 80, protocol: 'SCTP' }, { port: 9001, protocol: 'TCP' }, { port: 9002, protocol: 'UDP' }]);
    expect(serve(c, { kind: 'bytes', text: 'hostname\n' }, { ...ctx, port: 80, protocol: 'SCTP' })).toEqual({ kind: 'bytes', text: 'foo' });
    expect(serve(c, { kind: 'bytes', text: 'anything' }, { ...ctx, port: 9002, protocol: 'UDP' })).toEqual({ kind: 'bytes', text: 'baz' });
    const http = serve(c, { kind: 'http', method: 'GET', path: '/', host: 'x', headers: [] }, { ...ctx, port: 9001, protocol: 'TCP' });
    expect(http?.kind === 'http' && [http.status, http.body]).toEqual([200, 'bar']);
  });
  it('netexec opens SCTP only when --sctp-port is given', () => {
    expect(appFor({ name: 'c', image, args: ['netexec', '--http-port=8080', '--udp-port=-1', '--sctp-port', '8082'] }).listens).toEqual([{ port: 8080, protocol: 'TCP' }, { port: 8082, protocol: 'SCTP' }]);
  });
  it('serve-hostname --udp answers any datagram with the pod name', () => {
    const c = { name: 'c', image, command: ['/agnhost', 'serve-hostname', '--udp', '--http=false', '--port', '80'] };
    expect(serve(c, { kind: 'bytes', text: 'hello\n' }, { ...ctx, port: 80, protocol: 'UDP' })).toEqual({ kind: 'bytes', text: 'a' });
  });
});
