import { publicUrlForRequest } from '../../../nodes/SecureWebhookTrigger/publicUrl';

describe('the Public URL for a request to the test URL', () => {
	it.each([
		['https://n8n.example.com/webhook/twilio-sms', '/webhook-test/twilio-sms', 'https://n8n.example.com/webhook-test/twilio-sms'],
		['https://n8n.example.com/webhook/twilio-sms', '/webhook-test/twilio-sms?a=1', 'https://n8n.example.com/webhook-test/twilio-sms'],
		// A proxy prefix stays; a nested path is one tail.
		['https://example.com/n8n/webhook/sms/status', '/webhook-test/sms/status', 'https://example.com/n8n/webhook-test/sms/status'],
		// Renamed endpoints (N8N_ENDPOINT_WEBHOOK, N8N_ENDPOINT_WEBHOOK_TEST).
		['https://example.com/hooks/sms', '/hooks-test/sms', 'https://example.com/hooks-test/sms'],
		// Port, query and fragment are kept byte for byte.
		['https://example.com:8443/webhook/sms?x=%20#f', '/webhook-test/sms', 'https://example.com:8443/webhook-test/sms?x=%20#f'],
	])('%s called at %s is %s', (configured, requestUrl, expected) => {
		expect(publicUrlForRequest(configured, requestUrl)).toBe(expected);
	});

	it.each([
		['the production URL itself', 'https://n8n.example.com/webhook/sms', '/webhook/sms'],
		['another path', 'https://n8n.example.com/webhook/sms', '/webhook-test/voice'],
		['a URL without a path', 'https://n8n.example.com', '/webhook-test/sms'],
		['a path without an endpoint segment', 'https://n8n.example.com/sms', '/webhook-test/sms'],
		['not a URL', 'sms', '/webhook-test/sms'],
	])('keeps %s unchanged', (_name, configured, requestUrl) => {
		expect(publicUrlForRequest(configured, requestUrl)).toBe(configured);
	});
});
