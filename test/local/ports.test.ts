/**
 * Ports handed to a process that binds them later must not be ones the kernel itself hands out:
 * another process's outgoing connection could take such a port before the bind (CI saw a twin
 * refuse to start on exactly that).
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { BAD_PORTS, findFreePort, HANDED_OUT_PORTS, listen } from '../../local/ports';

function kernelEphemeralRange(): { from: number; to: number } {
  try {
    const [from, to] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return { from: from as number, to: to as number };
  } catch {
    return { from: 49_152, to: 65_535 };
  }
}

describe('findFreePort', () => {
  it('hands out ports below the range the kernel assigns to outgoing connections', async () => {
    const ephemeral = kernelEphemeralRange();
    expect(HANDED_OUT_PORTS.to).toBeLessThan(ephemeral.from);
    for (let i = 0; i < 20; i++) {
      const port = await findFreePort();
      expect(port).toBeGreaterThanOrEqual(HANDED_OUT_PORTS.from);
      expect(port).toBeLessThanOrEqual(HANDED_OUT_PORTS.to);
      expect(BAD_PORTS.has(port)).toBe(false);
    }
  });

  it('hands out a port that can be bound right after', async () => {
    const port = await findFreePort();
    const server = net.createServer();
    await listen(server, port, '127.0.0.1');
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('spreads concurrent callers over different ports', async () => {
    const ports = await Promise.all(Array.from({ length: 8 }, () => findFreePort()));
    expect(new Set(ports).size).toBeGreaterThan(1);
  });
});
