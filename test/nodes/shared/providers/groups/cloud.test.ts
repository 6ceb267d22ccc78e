import { generateKeyPairSync } from 'node:crypto';

import { sign as signToken } from 'jsonwebtoken';

import { providerById, providerSchemeById } from '../../../../../nodes/shared/providers/catalogue';
import { providerScheme } from '../../../../../nodes/shared/providers/providerScheme';
import type { JwtRecipe } from '../../../../../nodes/shared/providers/types';
import { signSnsMessage, type SnsMessage } from '../../../../../nodes/shared/verify/awsSns';
import { JwksCache } from '../../../../../nodes/shared/verify/jwks';
import type { KeySources } from '../../../../../nodes/shared/verify/keySources';
import type { SignatureScheme, VerifyOptions } from '../../../../../nodes/shared/verify/types';
import { AWS_SDK_SNS_CERTIFICATE, AWS_SDK_SNS_MESSAGE, AWS_SDK_SNS_MESSAGE_TIME_MS } from '../../verify/awsSnsVectors';
import { makeSelfSignedCertificate, startHttpKeyServer, startHttpsKeyServer, testKeySources, text, type KeyServer, type SelfSignedCertificate } from '../../verify/keyServer';
import { incoming, testProviderGroup, type Delivery, type ProviderFixture } from '../providerTestKit';

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
			{
				// learn.microsoft.com/azure/event-grid/end-point-validation-cloud-events-schema (CloudEvents v1.0 abuse protection).
				name: 'CloudEvents OPTIONS with WebHook-Request-Origin → WebHook-Allowed-Origin (where n8n lets OPTIONS reach the node)',
				phase: 'unsigned',
				request: { method: 'OPTIONS', url: EVENT_GRID_URL, body: '', headers: { 'webhook-request-origin': 'eventgrid.azure.net' } },
				expect: { status: 200, body: '', headers: { 'webhook-allowed-origin': 'eventgrid.azure.net', 'webhook-allowed-rate': '*', allow: 'POST' } },
			},
		],
	},
];

/** Google's key for the Pub/Sub vector: generated here (Google publishes no token that verifies offline). */
const GOOGLE = generateKeyPairSync('rsa', { modulusLength: 2048 });
const GOOGLE_KID = '7d680d8c70d44e947133cbd499ebc1a61c3d5abc';
const GOOGLE_JWKS = json({ keys: [{ ...GOOGLE.publicKey.export({ format: 'jwk' }), kid: GOOGLE_KID, alg: 'RS256', use: 'sig' }] });
const PUSH_AUDIENCE = 'https://n8n.example.com/webhook/pubsub';
const PUSH_ACCOUNT = 'push-sender@my-project.iam.gserviceaccount.com';
const PUSH_NOW = 1_764_259_200;
const OTHER_RSA = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

/** A push token with the claims Google documents for push subscriptions. */
function pushToken(overrides: Record<string, unknown> = {}, key = GOOGLE.privateKey, kid = GOOGLE_KID): string {
	const claims = {
		aud: PUSH_AUDIENCE,
		azp: '113774264463038321964',
		email: PUSH_ACCOUNT,
		email_verified: true,
		exp: PUSH_NOW + 3600,
		iat: PUSH_NOW,
		iss: 'https://accounts.google.com',
		sub: '113774264463038321964',
		...overrides,
	};
	return signToken(claims, key, { algorithm: 'RS256', header: { alg: 'RS256', kid, typ: 'JWT' } });
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

const PUB_SUB: ProviderFixture = {
	provider: 'googlePubSub',
	vector: {
		source: 'docs',
		reference: 'cloud.google.com/pubsub/docs/authenticate-push-subscriptions (claims), RS256 key generated in the test, JWKS served from loopback',
		secrets: { secret: '' },
		request: { body: pushBody('2070443601311540', 1), headers: { 'content-type': 'application/json', authorization: `Bearer ${pushToken()}` } },
		nowSeconds: PUSH_NOW + 10,
		expected: { type: 'OBJECT_FINALIZE', id: '2070443601311540' },
	},
	keys: {
		signingKey: GOOGLE.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
		secrets: { secret: '' },
		wrongSigningKey: OTHER_RSA.export({ format: 'pem', type: 'pkcs8' }).toString(),
	},
	keyServer: { files: { '/oauth2/v3/certs': { body: GOOGLE_JWKS } } },
	options: { audience: PUSH_AUDIENCE, serviceAccountEmail: PUSH_ACCOUNT },
	signInput: { keyId: GOOGLE_KID, jwtClaims: { aud: PUSH_AUDIENCE, email: PUSH_ACCOUNT } },
	// A redelivery keeps messageId; with dead lettering, deliveryAttempt counts up.
	event: (key, attempt) => ({ body: pushBody(`msg-${key}`, attempt), headers: { 'content-type': 'application/json' } }),
	eventType: 'OBJECT_FINALIZE',
};

const SNS_TOPIC = 'arn:aws:sns:us-east-1:123456789012:MyTopic';
const SNS_SIGNING = makeSelfSignedCertificate('/CN=sns.amazonaws.com');
const SNS_OTHER = makeSelfSignedCertificate('/CN=sns.amazonaws.com');
const SNS_HEADERS = (type: string) => ({ 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': type });

/** An SNS Notification without its signature fields (the kit signs it with the test certificate). */
function snsNotification(key: string): Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'SigningCertURL'> {
	return {
		Type: 'Notification',
		MessageId: `22b80b92-fdea-4c2c-8f9d-${key}`,
		TopicArn: SNS_TOPIC,
		Subject: 'My First Message',
		Message: 'Hello world!',
		Timestamp: '2026-12-04T19:06:40.655Z',
		UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
	};
}

/** A SubscriptionConfirmation whose SubscribeURL is on the kit's stand-in SNS host. */
function snsConfirmation(origin: string): Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'SigningCertURL'> {
	return {
		Type: 'SubscriptionConfirmation',
		MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
		Token: '2336412f37',
		TopicArn: SNS_TOPIC,
		Message: `You have chosen to subscribe to the topic ${SNS_TOPIC}. To confirm the subscription, visit the SubscribeURL included in this message.`,
		SubscribeURL: `${origin}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(SNS_TOPIC)}&Token=2336412f37`,
		Timestamp: '2026-12-04T19:00:00.000Z',
	};
}

const AWS_SDK_CERTIFICATE_PATH = '/SimpleNotificationService-aws-sdk.pem';
const TEST_CERTIFICATE_PATH = '/SimpleNotificationService-test.pem';

const SNS: ProviderFixture = {
	provider: 'awsSns',
	vector: {
		source: 'official',
		// aws/aws-sdk-java-v2 sample-message.json + unit-test-public-cert.pem (test/nodes/shared/verify/awsSnsVectors.ts);
		// SigningCertURL is not signed, so the message can name the kit's loopback copy of the AWS certificate.
		reference: 'aws-sdk-java-v2 services/sns/src/test/resources/.../sample-message.json with unit-test-public-cert.pem',
		secrets: { secret: '' },
		request: { body: AWS_SDK_SNS_MESSAGE, headers: SNS_HEADERS('Notification') },
		requestFor: (server) => ({
			body: AWS_SDK_SNS_MESSAGE.replace((JSON.parse(AWS_SDK_SNS_MESSAGE) as SnsMessage).SigningCertURL, `${server.origin}${AWS_SDK_CERTIFICATE_PATH}`),
			headers: SNS_HEADERS('Notification'),
		}),
		nowSeconds: Math.floor(AWS_SDK_SNS_MESSAGE_TIME_MS / 1000),
		options: { topicArn: 'arn:aws:sns:us-east-1:810605503585:just_testing' },
		expected: { type: 'Notification', id: 'd39649d4-bf5b-5b80-af75-07acb3dd9b4a' },
		// Only some fields are signed (MessageAttributes, the last in the body, are not): change the Message.
		tamper: (body) => body.replace('"boo"', '"bOo"'),
	},
	keys: { signingKey: SNS_SIGNING.privateKeyPem, secrets: { secret: '' }, wrongSigningKey: SNS_OTHER.privateKeyPem },
	keyServer: {
		files: {
			[AWS_SDK_CERTIFICATE_PATH]: { body: AWS_SDK_SNS_CERTIFICATE, contentType: 'application/x-pem-file' },
			[TEST_CERTIFICATE_PATH]: { body: SNS_SIGNING.certificatePem, contentType: 'application/x-pem-file' },
		},
		signingCertificatePath: TEST_CERTIFICATE_PATH,
	},
	// The test certificate is valid from now on: the kit's deliveries are signed and checked now.
	signedAt: Math.floor(Date.now() / 1000),
	options: { topicArn: SNS_TOPIC },
	// SNS resends the same message, same MessageId, on a retry.
	event: (key): Delivery => ({ body: json(snsNotification(key)), headers: SNS_HEADERS('Notification') }),
	eventType: 'Notification',
	handshakes: [
		{
			name: 'a signed SubscriptionConfirmation: confirmed by a GET of its SubscribeURL on the SNS host, once it verified',
			phase: 'signed',
			request: { body: '', headers: SNS_HEADERS('SubscriptionConfirmation') },
			requestFor: (server) => ({ body: json(snsConfirmation(server.origin)), headers: SNS_HEADERS('SubscriptionConfirmation') }),
			sign: true,
			expect: { status: 200, confirmedPath: '/' },
		},
	],
	garbageHeaders: ['x-amz-sns-message-type'],
};

testProviderGroup('cloud', [...FIXTURES, PUB_SUB, SNS]);

describe('Google Cloud Pub/Sub push: the settings it needs, and keys by kid', () => {
	const entry = providerById('googlePubSub')!;
	const recipe = entry.signature as JwtRecipe;
	let server: KeyServer;
	let sources: KeySources;
	let scheme: SignatureScheme;
	/** The JWKS cache's clock: a set is fetched again for an unknown kid at most once a minute. */
	let clockMs = 1_000_000;
	const verify = async (authorization: string, options: Partial<VerifyOptions> = {}) =>
		await scheme.verify(incoming({ body: pushBody('m1', 1), headers: { 'content-type': 'application/json', authorization } }), { secret: '' }, {
			nowSeconds: PUSH_NOW + 10,
			toleranceSeconds: 300,
			audience: PUSH_AUDIENCE,
			serviceAccountEmail: PUSH_ACCOUNT,
			keySources: sources,
			...options,
		});

	beforeAll(async () => {
		server = await startHttpKeyServer();
		server.routes.set('/oauth2/v3/certs', text(GOOGLE_JWKS, 200, 'application/json'));
		sources = { ...testKeySources(), jwks: new JwksCache({ allowLoopbackHttp: true, timeoutMs: 2000, now: () => clockMs }) };
		scheme = providerScheme({ ...entry, signature: { ...recipe, jwksUrl: `${server.origin}/oauth2/v3/certs` } });
	});
	afterAll(async () => await server.close());

	it('asks for Google\'s JWKS, RS256, Google\'s issuers, the Audience and the service account\'s email', () => {
		expect(recipe).toMatchObject({
			kind: 'jwt',
			jwksUrl: 'https://www.googleapis.com/oauth2/v3/certs',
			algorithms: ['RS256'],
			issuer: ['https://accounts.google.com', 'accounts.google.com'],
			audience: 'configured',
			requiredClaims: { email_verified: true },
			claimsFromSettings: { email: 'serviceAccountEmail' },
		});
		expect(entry.settings).toEqual(['audience', 'serviceAccountEmail']);
		expect(scheme.async).toBe(true);
	});

	it('verifies nothing while Audience or Service Account Email is empty (anyone can mint a Google token for any audience)', async () => {
		expect(await verify(`Bearer ${pushToken()}`, { audience: '' })).toEqual({ ok: false, reason: 'missing_key' });
		expect(await verify(`Bearer ${pushToken()}`, { serviceAccountEmail: ' ' })).toEqual({ ok: false, reason: 'missing_key' });
		expect((await verify(`Bearer ${pushToken()}`)).ok).toBe(true);
		expect((await verify(`Bearer ${pushToken({ iss: 'accounts.google.com' })}`)).ok).toBe(true);
	});

	it('refuses another audience, another service account, an unverified email, another issuer, another key, an expired token', async () => {
		const refused = { ok: false, reason: 'invalid_signature' };
		expect(await verify(`Bearer ${pushToken({ aud: 'https://other.example.com/push' })}`)).toEqual(refused);
		expect(await verify(`Bearer ${pushToken({ email: 'attacker@evil-project.iam.gserviceaccount.com' })}`)).toEqual(refused);
		expect(await verify(`Bearer ${pushToken({ email_verified: false })}`)).toEqual(refused);
		expect(await verify(`Bearer ${pushToken({ iss: 'https://evil.example.com' })}`)).toEqual(refused);
		expect(await verify(`Bearer ${pushToken({}, OTHER_RSA)}`)).toEqual(refused);
		expect(await verify(`Bearer ${pushToken({ exp: PUSH_NOW - 400, iat: PUSH_NOW - 4000 })}`)).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
		expect(await verify(pushToken())).toEqual({ ok: false, reason: 'malformed_signature' });
	});

	it('a key Google rotated in is fetched by its new kid; a JWKS that cannot be fetched is key_unavailable (503), not 401', async () => {
		const rotated = generateKeyPairSync('rsa', { modulusLength: 2048 });
		server.routes.set('/oauth2/v3/certs', text(json({ keys: [{ ...rotated.publicKey.export({ format: 'jwk' }), kid: 'rotated-kid', alg: 'RS256', use: 'sig' }] }), 200, 'application/json'));
		const before = server.hitsFor('/oauth2/v3/certs');
		const rotatedToken = `Bearer ${pushToken({}, rotated.privateKey, 'rotated-kid')}`;
		// The set was fetched less than a minute ago: an unknown kid does not fetch it again yet.
		expect(await verify(rotatedToken)).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(server.hitsFor('/oauth2/v3/certs')).toBe(before);
		clockMs += 61_000;
		expect((await verify(rotatedToken)).ok).toBe(true);
		expect(server.hitsFor('/oauth2/v3/certs')).toBe(before + 1);
		server.routes.set('/oauth2/v3/certs', text(GOOGLE_JWKS, 200, 'application/json'));

		const unreachable = providerScheme({ ...entry, signature: { ...recipe, jwksUrl: 'https://127.0.0.1:9/oauth2/v3/certs' } });
		const result = await unreachable.verify(incoming({ body: '{}', headers: { authorization: `Bearer ${pushToken()}` } }), { secret: '' }, {
			nowSeconds: PUSH_NOW + 10,
			toleranceSeconds: 300,
			audience: PUSH_AUDIENCE,
			serviceAccountEmail: PUSH_ACCOUNT,
			keySources: testKeySources(),
		});
		expect(result).toEqual({ ok: false, reason: 'key_unavailable' });
	});
});

describe('Amazon SNS: the Topic ARN, the message type header, the certificate host', () => {
	const scheme = providerSchemeById('awsSns');
	let tls: SelfSignedCertificate;
	let server: KeyServer;
	let sources: KeySources;
	const signed = (fields: Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'SigningCertURL'>, certificateUrl = `${server.origin}${TEST_CERTIFICATE_PATH}`) =>
		json(signSnsMessage(fields, SNS_SIGNING.privateKeyPem, certificateUrl));
	const verify = async (body: string, type = 'Notification', options: Partial<VerifyOptions> = {}) =>
		await scheme.verify(incoming({ body, headers: SNS_HEADERS(type) }), { secret: '' }, {
			nowSeconds: Math.floor(Date.now() / 1000),
			toleranceSeconds: 300,
			topicArn: SNS_TOPIC,
			keySources: sources,
			...options,
		});

	beforeAll(async () => {
		tls = makeSelfSignedCertificate();
		server = await startHttpsKeyServer(tls);
		server.routes.set(TEST_CERTIFICATE_PATH, text(SNS_SIGNING.certificatePem, 200, 'application/x-pem-file'));
		sources = testKeySources(tls);
	});
	afterAll(async () => await server.close());

	it('reports the MessageId as the verified id (the body is text/plain: its fields are not parsed)', async () => {
		const result = await verify(signed(snsNotification('0001')));
		expect(result).toMatchObject({ ok: true, matched: 'publicKey', id: '22b80b92-fdea-4c2c-8f9d-0001' });
		expect(scheme.async).toBe(true);
	});

	it('verifies nothing while Topic ARN is empty, and refuses another topic\'s genuine message', async () => {
		const body = signed(snsNotification('0002'));
		expect(await verify(body, 'Notification', { topicArn: '' })).toEqual({ ok: false, reason: 'missing_key' });
		expect(await verify(body, 'Notification', { topicArn: 'arn:aws:sns:us-east-1:123456789012:Other' })).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('requires x-amz-sns-message-type, equal to the body\'s Type', async () => {
		const body = signed(snsNotification('0003'));
		expect(await verify(body, 'SubscriptionConfirmation')).toEqual({ ok: false, reason: 'malformed_signature' });
		expect(await scheme.verify(incoming({ body, headers: { 'content-type': 'text/plain' } }), { secret: '' }, { nowSeconds: 0, toleranceSeconds: 300, topicArn: SNS_TOPIC, keySources: sources })).toEqual({
			ok: false,
			reason: 'missing_signature',
		});
	});

	it('fetches certificates only from the SNS host; one that cannot be fetched is key_unavailable (503)', async () => {
		const hits = server.hits.length;
		expect(await verify(signed(snsNotification('0004'), `https://127.0.0.1:${server.port}${TEST_CERTIFICATE_PATH}`))).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(await verify(signed(snsNotification('0004'), 'https://sns.us-east-1.amazonaws.com.evil.example/x.pem'))).toEqual({ ok: false, reason: 'invalid_signature' });
		expect(server.hits.length).toBe(hits);
		expect(await verify(signed(snsNotification('0005'), `${server.origin}/missing.pem`))).toEqual({ ok: false, reason: 'key_unavailable' });
	});

	it('a SubscriptionConfirmation whose SubscribeURL is not on the SNS host never verifies (so it is never fetched)', async () => {
		const confirmation = { ...snsConfirmation(server.origin), SubscribeURL: 'https://evil.example.com/?Action=ConfirmSubscription' };
		expect(await verify(signed(confirmation), 'SubscriptionConfirmation')).toEqual({ ok: false, reason: 'invalid_signature' });
		const genuine = await verify(signed(snsConfirmation(server.origin)), 'SubscriptionConfirmation');
		expect(genuine).toMatchObject({ ok: true, subscribeUrl: `${server.origin}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(SNS_TOPIC)}&Token=2336412f37` });
	});
});
