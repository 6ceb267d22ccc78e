import { schemeFixtures, type SchemeFixture } from '../../helpers/signedRequests';
import { TriggerHarness } from '../../helpers/webhookHarness';

/**
 * Twilio signs the URL it calls. The Public URL holds the production URL; the harness serves /webhook/<path>, so here
 * the configured production endpoint is "prod" and /webhook/ plays n8n's test endpoint.
 */
describe('Twilio: the test URL works with the production URL in Public URL', () => {
	const harness = new TriggerHarness({ parameters: { path: 'twilio-sms' }, typeVersion: 3 });
	let twilio: SchemeFixture;
	let node = 0;
	const production = 'https://n8n.example.com/prod/twilio-sms';
	const test = 'https://n8n.example.com/webhook/twilio-sms';

	beforeAll(async () => {
		await harness.start();
		twilio = schemeFixtures(harness.url).find((fixture) => fixture.scheme === 'twilio')!;
	});
	afterAll(async () => harness.stop());

	const use = (mode: 'manual' | 'webhook') =>
		harness.configure({
			parameters: { path: 'twilio-sms', provider: 'twilio', publicUrl: production },
			credentials: { webhookSigningApi: twilio.credential },
			mode,
			nodeId: `twilio-${++node}`,
		});
	const send = (signedUrl: string, id: string) => {
		const payload = twilio.body(twilio.eventType, id);
		return harness.send({ body: payload, headers: { ...twilio.sign(payload, { url: signedUrl }), 'content-type': twilio.contentType } });
	};

	it('a request to the test URL, signed over the test URL, is accepted while listening', async () => {
		use('manual');
		expect((await send(test, 'SM-test-1')).status).toBe(200);
	});

	it('production still verifies over the configured URL only', async () => {
		use('webhook');
		expect((await send(test, 'SM-test-2')).status).toBe(401);
		expect((await send(production, 'SM-test-3')).status).toBe(200);
	});

	it('on the test URL, a signature over the production URL is refused (it was not sent there)', async () => {
		use('manual');
		expect((await send(production, 'SM-test-4')).status).toBe(401);
	});
});
