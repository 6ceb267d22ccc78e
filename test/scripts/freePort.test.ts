import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const { freePort, isPortFree, listenerRange } = require('../../scripts/lib/freePort') as {
	freePort(): Promise<number>;
	isPortFree(port: number): Promise<boolean>;
	listenerRange(): [number, number];
};

describe('freePort (scripts/lib): ports for servers that listen later', () => {
	it('draws ports below the ephemeral range, where outgoing connections never take them', async () => {
		const [low, high] = listenerRange();
		const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
		expect(high).toBeLessThan(ephemeralLow);
		for (let index = 0; index < 20; index++) {
			const port = await freePort();
			expect(port).toBeGreaterThanOrEqual(low);
			expect(port).toBeLessThanOrEqual(high);
		}
	});

	it('never hands out the same port twice in one process', async () => {
		const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
		expect(new Set(ports).size).toBe(50);
	});

	it('gives a port that can be listened on, and isPortFree sees it taken once it is', async () => {
		const port = await freePort();
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
		try {
			expect(await isPortFree(port)).toBe(false);
		} finally {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
		expect(await isPortFree(port)).toBe(true);
	});
});
