import { generateKeyPairSync } from 'node:crypto';

import { sign as signToken } from 'jsonwebtoken';

import { PROVIDERS, providerById, providerSchemeById } from '../../../../../nodes/shared/providers/catalogue';
import { isProviderAvailable } from '../../../../../nodes/shared/providers/providerScheme';
import type { JwtRecipe } from '../../../../../nodes/shared/providers/types';
import { SnsCertificateCache, signSnsMessage, verifySnsMessage, type SnsMessage, type SnsVerifyOptions } from '../../../../../nodes/shared/verify/awsSns';
import { JwksCache } from '../../../../../nodes/shared/verify/jwks';
import { verifyJwtWithJwks, type JwksJwtOptions } from '../../../../../nodes/shared/verify/jwtJwks';
import { AWS_SDK_SNS_CERTIFICATE, AWS_SDK_SNS_MESSAGE, AWS_SDK_SNS_MESSAGE_TIME_MS } from '../../verify/awsSnsVectors';
import { json as jsonRoute, makeSelfSignedCertificate, startHttpKeyServer, startHttpsKeyServer, text, type KeyServer, type SelfSignedCertificate } from '../../verify/keyServer';
import { incoming, parsedBody, testProvider, type Delivery, type ProviderFixture } from '../providerTestKit';

const json = (value: unknown) => JSON.stringify(value);

const EVENT_GRID_CODE = 'eg-endpoint-code-6b1e9d4f';
const EVENT_GRID_URL = `/webhook/test?code=${EVENT_GRID_CODE}`;

/** The subscription validation event of the docs' "Endpoint validation with Event Grid event schema". */
const EVENT_GRID_VALIDATION = json([
	{
		id: '2d1781af-3a4c-4d7c-bd0c-e34b19da4e66',
		topic: '/subscriptions/xx/resourceGroups/xx/providers/Microsoft.Storage/storageAccounts/xx',
		subject: '',
		data: {
			validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
			validationUrl:
				'https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/myeventsub/validate?id=0000000000-0000-0000-0000-00000000000000&t=2022-10-28T04:23:35.1981776Z&apiVersion=2018-05-01-preview&token=1A1A1A1A',
		},
		eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
		eventTime: '2022-10-28T04:23:35.1981776Z',
		metadataVersion: '1',
		dataVersion: '1',
	},
]);

const FIXTURES: ProviderFixture[] = [
	{
		provider: 'azureEventGrid',
		vector: {
			source: 'docs',
			// A Microsoft.Storage.BlobCreated event in the Event Grid schema (learn.microsoft.com "Azure Blob Storage as
			// an Event Grid source" example, shortened), delivered to an endpoint URL carrying a made-up ?code=.
			reference: 'learn.microsoft.com/azure/event-grid/event-schema-blob-storage (BlobCreated example, shortened), made-up ?code= secret',
			secrets: { secret: EVENT_GRID_CODE },
			request: {
				url: EVENT_GRID_URL,
				body: json([
					{
						topic: '/subscriptions/{subscription-id}/resourceGroups/Storage/providers/Microsoft.Storage/storageAccounts/my-storage-account',
						subject: '/blobServices/default/containers/test-container/blobs/new-file.txt',
						eventType: 'Microsoft.Storage.BlobCreated',
						eventTime: '2017-06-26T18:41:00.9584103Z',
						id: '831e1650-001e-001b-66ab-eeb76e069631',
						data: { api: 'PutBlockList', contentType: 'text/plain', contentLength: 524288, blobType: 'BlockBlob' },
						dataVersion: '',
						metadataVersion: '1',
					},
				]),
				headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification', 'aeg-delivery-count': '0' },
			},
			nowSeconds: 1498502460,
			expected: { type: 'Microsoft.Storage.BlobCreated', id: '831e1650-001e-001b-66ab-eeb76e069631' },
		},
		// A retry raises aeg-delivery-count and keeps the event.
		event: (key, attempt) => ({
			url: EVENT_GRID_URL,
			body: json([{ id: `evt-${key}`, eventType: 'Microsoft.Resources.ResourceWriteSuccess', subject: `/resource/${key}`, data: {}, dataVersion: '1' }]),
			headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification', 'aeg-delivery-count': String(attempt - 1) },
		}),
		eventType: 'Microsoft.Resources.ResourceWriteSuccess',
		handshakes: [
			{
				name: 'Event Grid schema subscription validation → {"validationResponse": validationCode}',
				phase: 'signed',
				request: { url: EVENT_GRID_URL, body: EVENT_GRID_VALIDATION, headers: { 'content-type': 'application/json', 'aeg-event-type': 'SubscriptionValidation' } },
				expect: { status: 200, body: { validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' } },
			},
		],
	},
];

/** Google's key for the Pub/Sub vector: generated here (Google publishes no token that verifies offline). */
const GOOGLE = generateKeyPairSync('rsa', { modulusLength: 2048 });
const GOOGLE_KID = '7d680d8c70d44e947133cbd499ebc1a61c3d5abc';
const PUSH_AUDIENCE = 'https://n8n.example.com/webhook/pubsub';
const PUSH_NOW = 1_764_259_200;

/** A push token with the claims Google documents for push subscriptions. */
function pushToken(overrides: Record<string, unknown> = {}, key = GOOGLE.privateKey): string {
	const claims = {
		aud: PUSH_AUDIENCE,
		azp: '113774264463038321964',
		email: 'push-sender@my-project.iam.gserviceaccount.com',
		email_verified: true,
		exp: PUSH_NOW + 3600,
		iat: PUSH_NOW,
		iss: 'https://accounts.google.com',
		sub: '113774264463038321964',
		...overrides,
	};
	return signToken(claims, key, { algorithm: 'RS256', header: { alg: 'RS256', kid: GOOGLE_KID, typ: 'JWT' } });
}

/** A wrapped push of one message (https://cloud.google.com/pubsub/docs/push, "Receive messages"). */
function pushBody(messageId: string, deliveryAttempt: number): string {
	return json({
		message: {
			attributes: { eventType: 'OBJECT_FINALIZE', bucketId: 'my-bucket', objectId: 'photo.jpg' },
			data: Buffer.from('{"name":"photo.jpg"}').toString('base64'),
			messageId,
			message_id: messageId,
			publishTime: '2025-11-27T16:00:00.123Z',
			publish_time: '2025-11-27T16:00:00.123Z',
		},
		subscription: 'projects/my-project/subscriptions/my-push',
		deliveryAttempt,
	});
}

/** An SNS Notification without its signature fields (the direct tests sign it with a test certificate). */
function snsNotification(key: string): Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'SigningCertURL'> {
	return {
		Type: 'Notification',
		MessageId: `22b80b92-fdea-4c2c-8f9d-${key}`,
		TopicArn: 'arn:aws:sns:us-east-1:123456789012:MyTopic',
		Subject: 'My First Message',
		Message: 'Hello world!',
		Timestamp: '2026-12-04T19:06:40.655Z',
		UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
	};
}

const SNS_HEADERS = (type: string) => ({ 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': type });

/**
 * Entries whose recipe kind (jwt with JWKS, awsSns) the trigger does not run yet (providerScheme.ts lists them as
 * pending): written in the kit's fixture form, checked directly below until the framework wires their kinds in, then
 * moved into FIXTURES.
 */
const PENDING_FIXTURES: ProviderFixture[] = [
	{
		provider: 'googlePubSub',
		vector: {
			source: 'docs',
			reference: 'cloud.google.com/pubsub/docs/authenticate-push-subscriptions (claims), RS256 key generated in the test, loopback JWKS',
			secrets: { secret: '' },
			request: { body: pushBody('2070443601311540', 1), headers: { 'content-type': 'application/json', authorization: `Bearer ${pushToken()}` } },
			nowSeconds: PUSH_NOW + 10,
			expected: { type: 'OBJECT_FINALIZE', id: '2070443601311540' },
		},
		keys: { signingKey: GOOGLE.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), secrets: { secret: '' } },
		// A redelivery keeps messageId; with dead lettering, deliveryAttempt counts up.
		event: (key, attempt) => ({ body: pushBody(`msg-${key}`, attempt), headers: { 'content-type': 'application/json' } }),
		eventType: 'OBJECT_FINALIZE',
	},
	{
		provider: 'awsSns',
		vector: {
			source: 'official',
			// aws/aws-sdk-java-v2 sample-message.json + unit-test-public-cert.pem (test/nodes/shared/verify/awsSnsVectors.ts).
			reference: 'aws-sdk-java-v2 services/sns/src/test/resources/.../sample-message.json with unit-test-public-cert.pem',
			secrets: { secret: '' },
			request: { body: AWS_SDK_SNS_MESSAGE, headers: SNS_HEADERS('Notification') },
			nowSeconds: Math.floor(AWS_SDK_SNS_MESSAGE_TIME_MS / 1000),
			expected: { type: 'Notification', id: 'd39649d4-bf5b-5b80-af75-07acb3dd9b4a' },
		},
		// SNS resends the same message on a retry (the signature lives in the body: the direct tests sign it).
		event: (key): Delivery => ({ body: json(snsNotification(key)), headers: SNS_HEADERS('Notification') }),
		eventType: 'Notification',
	},
];

describe('provider group Cloud', () => {
	it('has one fixture per catalogue entry of the group (pending ones included)', () => {
		const entries = PROVIDERS.filter((entry) => entry.group === 'cloud').map((entry) => entry.id).sort();
		expect([...FIXTURES, ...PENDING_FIXTURES].map((fixture) => fixture.provider).sort()).toEqual(entries);
	});

	it('lists as pending exactly the entries whose kind the trigger does not run yet', () => {
		for (const fixture of PENDING_FIXTURES) expect(isProviderAvailable(providerById(fixture.provider)!)).toBe(false);
		for (const fixture of FIXTURES) expect(isProviderAvailable(providerById(fixture.provider)!)).toBe(true);
	});

	for (const fixture of FIXTURES) testProvider(fixture);
});

/** What the entry reports for a request once its verifier accepted it with `id` (the verified MessageId, a jti…). */
function describeDelivery(provider: string, delivery: Delivery, id?: string) {
	const request = incoming(delivery);
	return providerSchemeById(provider).describeEvent(request, parsedBody(request), { ok: true, matched: 'publicKey', ...(id ? { id } : {}) });
}

describe('Google Cloud Pub/Sub push (pending: jwt with Google\'s JWKS and the configured audience)', () => {
	const fixture = PENDING_FIXTURES.find((candidate) => candidate.provider === 'googlePubSub')!;
	const recipe = providerById('googlePubSub')!.signature as JwtRecipe;
	let server: KeyServer;
	let cache: JwksCache;

	/** The verifier options the entry means, Google's JWKS served from loopback under the same path. */
	function optionsFor(audienceSetting: string): JwksJwtOptions {
		return {
			jwksUrl: `${server.origin}${new URL(recipe.jwksUrl!).pathname}`,
			algorithms: recipe.algorithms,
			token: recipe.token,
			issuer: recipe.issuer,
			audience: recipe.audience === 'configured' ? audienceSetting : recipe.audience,
			requiredClaims: recipe.requiredClaims,
			nowSeconds: fixture.vector.nowSeconds,
		};
	}

	beforeAll(async () => {
		server = await startHttpKeyServer();
		const publicJwk = { ...GOOGLE.publicKey.export({ format: 'jwk' }), kid: GOOGLE_KID, alg: 'RS256', use: 'sig' };
		server.routes.set('/oauth2/v3/certs', jsonRoute({ keys: [publicJwk] }));
		cache = new JwksCache({ allowLoopbackHttp: true });
	});
	afterAll(async () => await server.close());

	it('asks for Google\'s JWKS, RS256, Google\'s issuers and the Audience setting', () => {
		expect(recipe).toMatchObject({
			kind: 'jwt',
			jwksUrl: 'https://www.googleapis.com/oauth2/v3/certs',
			algorithms: ['RS256'],
			issuer: ['https://accounts.google.com', 'accounts.google.com'],
			audience: 'configured',
		});
		expect(providerById('googlePubSub')!.settings).toEqual(['audience']);
	});

	it(`its ${fixture.vector.source} vector verifies with the JWKS verifier under the entry's settings`, async () => {
		const result = await verifyJwtWithJwks(fixture.vector.request.headers, optionsFor(PUSH_AUDIENCE), cache);
		expect(result.ok && result.kid).toBe(GOOGLE_KID);
		expect((await verifyJwtWithJwks({ authorization: `Bearer ${pushToken({ iss: 'accounts.google.com' })}` }, optionsFor(PUSH_AUDIENCE), cache)).ok).toBe(true);
	});

	it('refuses a token for another audience, an unverified email, another issuer, another key', async () => {
		const refused = { ok: false, reason: 'invalid_signature' };
		expect(await verifyJwtWithJwks(fixture.vector.request.headers, optionsFor('https://other.example.com/push'), cache)).toEqual(refused);
		expect(await verifyJwtWithJwks({ authorization: `Bearer ${pushToken({ email_verified: false })}` }, optionsFor(PUSH_AUDIENCE), cache)).toEqual(refused);
		expect(await verifyJwtWithJwks({ authorization: `Bearer ${pushToken({ iss: 'https://evil.example.com' })}` }, optionsFor(PUSH_AUDIENCE), cache)).toEqual(refused);
		const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
		expect(await verifyJwtWithJwks({ authorization: `Bearer ${pushToken({}, other)}` }, optionsFor(PUSH_AUDIENCE), cache)).toEqual(refused);
	});

	it('reads the message id (kept on redelivery, other for another message) and the publisher\'s eventType attribute', () => {
		expect(describeDelivery('googlePubSub', fixture.vector.request)).toEqual(fixture.vector.expected);
		const first = describeDelivery('googlePubSub', fixture.event('a', 1));
		expect(describeDelivery('googlePubSub', fixture.event('a', 2))).toEqual(first);
		expect(describeDelivery('googlePubSub', fixture.event('b', 1)).id).not.toBe(first.id);
	});
});

describe('Amazon SNS (pending: awsSns, SubscriptionConfirmation handshake)', () => {
	const fixture = PENDING_FIXTURES.find((candidate) => candidate.provider === 'awsSns')!;
	const entry = providerById('awsSns')!;
	const TOPIC = 'arn:aws:sns:us-east-1:123456789012:MyTopic';
	let tls: SelfSignedCertificate;
	let signing: SelfSignedCertificate;
	let server: KeyServer;
	let options: SnsVerifyOptions;
	let certUrl: string;

	beforeAll(async () => {
		tls = makeSelfSignedCertificate();
		signing = makeSelfSignedCertificate('/CN=sns.amazonaws.com');
		server = await startHttpsKeyServer(tls);
		server.routes.set('/SimpleNotificationService-aws-sdk.pem', text(AWS_SDK_SNS_CERTIFICATE, 200, 'application/x-pem-file'));
		server.routes.set('/SimpleNotificationService-test.pem', text(signing.certificatePem, 200, 'application/x-pem-file'));
		certUrl = `${server.origin}/SimpleNotificationService-test.pem`;
	});
	afterAll(async () => await server.close());
	beforeEach(() => {
		options = { hostPattern: /^localhost$/, cache: new SnsCertificateCache({ ca: tls.certificatePem, timeoutMs: 2000 }) };
	});

	/** The entry's settings as verifier options: the Topic ARN setting, the message type header. */
	const withEntry = (delivery: Delivery, topicArnSetting: string): SnsVerifyOptions => ({
		...options,
		topicArn: entry.signature.kind === 'awsSns' && entry.signature.topicArn === 'configured' ? topicArnSetting : undefined,
		messageTypeHeader: delivery.headers?.['x-amz-sns-message-type'],
	});

	const signed = (key: string, overrides: Partial<SnsMessage> = {}): Delivery => {
		const message = signSnsMessage({ ...snsNotification(key), ...overrides }, signing.privateKeyPem, certUrl);
		return { body: json(message), headers: SNS_HEADERS(message.Type) };
	};

	it(`its ${fixture.vector.source} vector (the AWS SDK's real message and certificate) verifies, and the entry reads its MessageId and type`, async () => {
		const message = JSON.parse(AWS_SDK_SNS_MESSAGE) as SnsMessage;
		// SigningCertURL is not signed: the message can point at the loopback copy of the AWS certificate.
		const relocated = AWS_SDK_SNS_MESSAGE.replace(message.SigningCertURL, `${server.origin}/SimpleNotificationService-aws-sdk.pem`);
		const delivery = { ...fixture.vector.request, body: relocated };
		const result = await verifySnsMessage(relocated, { ...withEntry(delivery, ''), nowMs: AWS_SDK_SNS_MESSAGE_TIME_MS });
		expect(result.ok && result.messageId).toBe('d39649d4-bf5b-5b80-af75-07acb3dd9b4a');
		expect(describeDelivery('awsSns', delivery, result.ok ? result.messageId : undefined)).toEqual(fixture.vector.expected);
		const tampered = await verifySnsMessage(relocated.replace('"boo"', '"bOo"'), { ...withEntry(delivery, ''), nowMs: AWS_SDK_SNS_MESSAGE_TIME_MS });
		expect(tampered).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('pins the Topic ARN setting, and refuses a body whose type differs from x-amz-sns-message-type', async () => {
		const delivery = signed('0001');
		expect((await verifySnsMessage(String(delivery.body), withEntry(delivery, TOPIC))).ok).toBe(true);
		expect(await verifySnsMessage(String(delivery.body), withEntry(delivery, 'arn:aws:sns:us-east-1:123456789012:Other'))).toEqual({
			ok: false,
			reason: 'invalid_signature',
		});
		const mislabelled = { ...delivery, headers: SNS_HEADERS('SubscriptionConfirmation') };
		expect(await verifySnsMessage(String(delivery.body), withEntry(mislabelled, TOPIC))).toEqual({ ok: false, reason: 'malformed_signature' });
	});

	it('keeps the MessageId on a retry and gives another message another id', async () => {
		const ids = [];
		for (const delivery of [signed('0001'), signed('0001'), signed('0002')]) {
			const result = await verifySnsMessage(String(delivery.body), withEntry(delivery, TOPIC));
			ids.push(describeDelivery('awsSns', delivery, result.ok ? result.messageId : undefined).id);
		}
		expect(ids[0]).toBe('22b80b92-fdea-4c2c-8f9d-0001');
		expect(ids[1]).toBe(ids[0]);
		expect(ids[2]).not.toBe(ids[0]);
	});

	it('a signed SubscriptionConfirmation is the handshake: the entry\'s rule matches it, and the verifier exposes its SubscribeURL', async () => {
		const subscribeUrl = `${server.origin}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(TOPIC)}&Token=2336412f37`;
		const delivery = signed('0003', { Type: 'SubscriptionConfirmation', Token: '2336412f37', SubscribeURL: subscribeUrl, Subject: undefined });
		const result = await verifySnsMessage(String(delivery.body), withEntry(delivery, TOPIC));
		expect(result.ok && result.isSubscriptionConfirmation && result.subscribeUrl).toBe(subscribeUrl);
		expect(entry.handshakes).toEqual([
			expect.objectContaining({
				phase: 'signed',
				when: [{ source: { header: 'x-amz-sns-message-type' }, equals: 'SubscriptionConfirmation' }],
				respond: { confirmSubscription: 'awsSns' },
			}),
		]);
	});
});
