import { X509Certificate, verify as verifyBytes } from 'node:crypto';

import fc from 'fast-check';

import {
	SNS_HOST_PATTERN,
	SnsCertificateCache,
	confirmSnsSubscription,
	isSnsUrl,
	parseSnsMessage,
	signSnsMessage,
	snsStringToSign,
	verifySnsMessage,
	type SnsMessage,
	type SnsVerifyOptions,
} from '../../../../nodes/shared/verify/awsSns';

import { AWS_SDK_SNS_CERTIFICATE, AWS_SDK_SNS_MESSAGE, AWS_SDK_SNS_MESSAGE_TIME_MS } from './awsSnsVectors';
import { hang, makeSelfSignedCertificate, redirect, startHttpsKeyServer, text, type KeyServer, type SelfSignedCertificate } from './keyServer';

const LOOPBACK_HOST = /^localhost$/;
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:MyTopic';

describe('awsSns: the string to sign (field order from the AWS docs)', () => {
	// https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
	it('Notification: Message, MessageId, Subject (when present), Timestamp, TopicArn, Type', () => {
		const message = parseSnsMessage(AWS_SDK_SNS_MESSAGE);
		expect(message && snsStringToSign(message)).toBe(
			'Message\nboo\nMessageId\nd39649d4-bf5b-5b80-af75-07acb3dd9b4a\nSubject\nthis is raw\nTimestamp\n2015-09-20T01:22:14.001Z\n' +
				'TopicArn\narn:aws:sns:us-east-1:810605503585:just_testing\nType\nNotification\n',
		);
		const withoutSubject = { ...(message as SnsMessage), Subject: undefined };
		expect(snsStringToSign(withoutSubject)).not.toContain('Subject');
	});

	it('SubscriptionConfirmation and UnsubscribeConfirmation: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type', () => {
		for (const Type of ['SubscriptionConfirmation', 'UnsubscribeConfirmation'] as const) {
			const message = {
				Type,
				MessageId: 'id',
				Token: 'tok',
				TopicArn: TOPIC,
				Message: 'm',
				SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=tok',
				Timestamp: '2024-01-01T00:00:00.000Z',
				SignatureVersion: '1',
				Signature: 'x',
				SigningCertURL: 'https://sns.us-east-1.amazonaws.com/c.pem',
				Subject: 'not signed for confirmations',
			} satisfies SnsMessage;
			expect(snsStringToSign(message)).toBe(
				`Message\nm\nMessageId\nid\nSubscribeURL\n${message.SubscribeURL}\nTimestamp\n2024-01-01T00:00:00.000Z\nToken\ntok\nTopicArn\n${TOPIC}\nType\n${Type}\n`,
			);
		}
	});

	it('the AWS SDK for Java test message verifies against its certificate with SHA1withRSA (official vector)', () => {
		const message = parseSnsMessage(AWS_SDK_SNS_MESSAGE) as SnsMessage;
		const key = new X509Certificate(AWS_SDK_SNS_CERTIFICATE).publicKey;
		expect(verifyBytes('sha1', Buffer.from(snsStringToSign(message)), key, Buffer.from(message.Signature, 'base64'))).toBe(true);
	});
});

describe('awsSns: parsing', () => {
	it.each([
		['not JSON', '{"Type":'],
		['an array', '[]'],
		['an unknown Type', AWS_SDK_SNS_MESSAGE.replace('"Notification"', '"Other"')],
		['an unknown SignatureVersion', AWS_SDK_SNS_MESSAGE.replace('"SignatureVersion": "1"', '"SignatureVersion": "3"')],
		['a numeric SignatureVersion', AWS_SDK_SNS_MESSAGE.replace('"SignatureVersion": "1"', '"SignatureVersion": 1')],
		['a missing MessageId', AWS_SDK_SNS_MESSAGE.replace('"MessageId"', '"MessageID"')],
		['a non-string Message', AWS_SDK_SNS_MESSAGE.replace('"Message": "boo"', '"Message": {"a":1}')],
		['a non-string Subject', AWS_SDK_SNS_MESSAGE.replace('"Subject": "this is raw"', '"Subject": 5')],
		['a confirmation without Token', '{"Type":"SubscriptionConfirmation","MessageId":"a","TopicArn":"t","Message":"m","Timestamp":"t","SignatureVersion":"1","Signature":"s","SigningCertURL":"u","SubscribeURL":"u"}'],
	])('refuses %s', (_label, body) => {
		expect(parseSnsMessage(body)).toBeUndefined();
	});

	it('never throws on arbitrary bytes', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
				parseSnsMessage(Buffer.from(bytes));
			}),
		);
	});
});

describe('awsSns: SNS hosts', () => {
	it.each([
		['https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem', true],
		['https://sns.eu-central-1.amazonaws.com/x.pem', true],
		['https://sns.us-gov-west-1.amazonaws.com/x.pem', true],
		['https://sns.cn-north-1.amazonaws.com.cn/x.pem', true],
		['http://sns.us-east-1.amazonaws.com/x.pem', false],
		['https://sns.us-east-1.amazonaws.com.evil.example/x.pem', false],
		['https://sns.us-east-1.amazonaws.com./x.pem', false],
		['https://evilsns.us-east-1.amazonaws.com/x.pem', false],
		['https://sns.amazonaws.com/x.pem', false],
		['https://sns.us_east.amazonaws.com/x.pem', false],
		['https://s3.amazonaws.com/sns.us-east-1.amazonaws.com/x.pem', false],
		['https://user@sns.us-east-1.amazonaws.com/x.pem', false],
		['not a url', false],
	])('%s -> %s', (url, expected) => {
		expect(isSnsUrl(url)).toBe(expected);
	});

	it('the default pattern is what AWS validators use', () => {
		expect(SNS_HOST_PATTERN.test('sns.ap-southeast-2.amazonaws.com')).toBe(true);
	});
});

describe('awsSns: verification with certificates served by a loopback https server (openssl, self-signed)', () => {
	let tls: SelfSignedCertificate;
	let signing: SelfSignedCertificate;
	let server: KeyServer;
	let cache: SnsCertificateCache;
	let certUrl: string;
	let options: SnsVerifyOptions;

	beforeAll(async () => {
		// One certificate for the TLS server, another as the SNS signing certificate (as AWS's are distinct too).
		tls = makeSelfSignedCertificate();
		signing = makeSelfSignedCertificate('/CN=sns.amazonaws.com');
		server = await startHttpsKeyServer(tls);
		server.routes.set('/SimpleNotificationService-test.pem', text(signing.certificatePem, 200, 'application/x-pem-file'));
		server.routes.set('/SimpleNotificationService-aws-sdk.pem', text(AWS_SDK_SNS_CERTIFICATE, 200, 'application/x-pem-file'));
		server.routes.set('/not-a-cert.pem', text('hello'));
		server.routes.set('/huge.pem', text('x'.repeat(20_000)));
		server.routes.set('/slow.pem', hang);
		server.routes.set('/moved.pem', redirect('/SimpleNotificationService-test.pem'));
		server.routes.set('/', text('<ConfirmSubscriptionResponse/>', 200, 'text/xml'));
		certUrl = `${server.origin}/SimpleNotificationService-test.pem`;
	});
	afterAll(async () => await server.close());
	beforeEach(() => {
		cache = new SnsCertificateCache({ ca: tls.certificatePem, timeoutMs: 2000 });
		options = { hostPattern: LOOPBACK_HOST, cache };
	});

	const notification = (overrides: Partial<SnsMessage> = {}, version: '1' | '2' = '2'): SnsMessage =>
		signSnsMessage(
			{
				Type: 'Notification',
				MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
				TopicArn: TOPIC,
				Subject: 'My First Message',
				Message: 'Hello world! ü',
				Timestamp: '2026-12-04T19:06:40.655Z',
				UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
				...overrides,
			},
			signing.privateKeyPem,
			certUrl,
			version,
		);

	const body = (message: SnsMessage) => Buffer.from(JSON.stringify(message));

	it('verifies the AWS SDK test message with its real certificate at the time it was sent (official vector)', async () => {
		const message = JSON.parse(AWS_SDK_SNS_MESSAGE) as SnsMessage;
		// SigningCertURL is not signed, so the message can point at the loopback copy of the certificate.
		const relocated = AWS_SDK_SNS_MESSAGE.replace(message.SigningCertURL, `${server.origin}/SimpleNotificationService-aws-sdk.pem`);
		const result = await verifySnsMessage(relocated, { ...options, nowMs: AWS_SDK_SNS_MESSAGE_TIME_MS });
		expect(result.ok && result.messageId).toBe('d39649d4-bf5b-5b80-af75-07acb3dd9b4a');
		expect(result.ok && result.timestamp).toBe(Math.floor(AWS_SDK_SNS_MESSAGE_TIME_MS / 1000));
		expect(await verifySnsMessage(relocated.replace('"boo"', '"bOo"'), { ...options, nowMs: AWS_SDK_SNS_MESSAGE_TIME_MS })).toEqual({
			ok: false,
			reason: 'invalid_signature',
		});
		// Today that certificate has long expired.
		expect(await verifySnsMessage(relocated, options)).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it.each(['1', '2'] as const)('accepts a Notification with SignatureVersion %s, with or without Subject', async (version) => {
		const result = await verifySnsMessage(body(notification({}, version)), options);
		expect(result).toMatchObject({ ok: true, type: 'Notification', topicArn: TOPIC, isSubscriptionConfirmation: false });
		expect(result.ok && result.subscribeUrl).toBeUndefined();
		expect((await verifySnsMessage(body(notification({ Subject: undefined }, version)), options)).ok).toBe(true);
	});

	it('refuses a changed Message, Subject, Timestamp, TopicArn or Type, an added or removed Subject, and a version switch', async () => {
		const signed = notification();
		const tampered: SnsMessage[] = [
			{ ...signed, Message: 'Hello world! u' },
			{ ...signed, Subject: 'Other' },
			{ ...signed, Subject: undefined },
			{ ...notification({ Subject: undefined }), Subject: 'Added' },
			{ ...signed, Timestamp: '2026-12-04T19:06:41.655Z' },
			{ ...signed, TopicArn: 'arn:aws:sns:us-east-1:123456789012:Other' },
			{ ...signed, SignatureVersion: '1' },
		];
		for (const message of tampered) {
			expect(await verifySnsMessage(body(message), options)).toEqual({ ok: false, reason: 'invalid_signature' });
		}
		// Unsigned fields may change (UnsubscribeURL, MessageAttributes).
		expect((await verifySnsMessage(body({ ...signed, UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?x' }), options)).ok).toBe(true);
	});

	it('pins the TopicArn when configured', async () => {
		expect((await verifySnsMessage(body(notification()), { ...options, topicArn: TOPIC })).ok).toBe(true);
		expect(await verifySnsMessage(body(notification()), { ...options, topicArn: `${TOPIC}2` })).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('can refuse SignatureVersion 1 (SHA1)', async () => {
		expect(await verifySnsMessage(body(notification({}, '1')), { ...options, requireSignatureVersion2: true })).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('checks x-amz-sns-message-type against the body when given', async () => {
		expect((await verifySnsMessage(body(notification()), { ...options, messageTypeHeader: 'Notification' })).ok).toBe(true);
		expect(await verifySnsMessage(body(notification()), { ...options, messageTypeHeader: 'SubscriptionConfirmation' })).toEqual({
			ok: false,
			reason: 'malformed_signature',
		});
	});

	it('fetches a certificate only from an allowed host over https, a .pem path without query', async () => {
		const hits = server.hits.length;
		for (const url of [
			certUrl,
			certUrl.replace('https:', 'http:'),
			`${certUrl}?x=1`,
			`${server.origin}/SimpleNotificationService-test.txt`,
			certUrl.replace('localhost', '127.0.0.1'),
		]) {
			const message = { ...notification(), SigningCertURL: url };
			// The default pattern allows only sns.<region>.amazonaws.com(.cn).
			const strict = url === certUrl ? { cache } : options;
			expect(await verifySnsMessage(body(message), strict)).toEqual({ ok: false, reason: 'invalid_signature' });
		}
		expect(server.hits.length).toBe(hits);
	});

	it('fetches each certificate once, concurrent verifications sharing the fetch', async () => {
		const before = server.hitsFor('/SimpleNotificationService-test.pem');
		const results = await Promise.all(Array.from({ length: 10 }, () => verifySnsMessage(body(notification()), options)));
		expect(results.every((result) => result.ok)).toBe(true);
		expect((await verifySnsMessage(body(notification({ MessageId: 'other' })), options)).ok).toBe(true);
		expect(server.hitsFor('/SimpleNotificationService-test.pem') - before).toBe(1);
	});

	it.each([
		['a body that is not a certificate', '/not-a-cert.pem'],
		['an oversize certificate', '/huge.pem'],
		['a certificate that never comes', '/slow.pem'],
		['a redirect', '/moved.pem'],
		['a 404', '/missing.pem'],
	])('answers key_unavailable for %s, and does not fetch that URL again for a minute', async (_label, path) => {
		let now = 1_000_000;
		cache = new SnsCertificateCache({ ca: tls.certificatePem, timeoutMs: 300, now: () => now });
		const message = signSnsMessage({ ...notification(), Subject: undefined }, signing.privateKeyPem, `${server.origin}${path}`);
		const verify = async () => await verifySnsMessage(body(message), { ...options, cache });
		expect(await verify()).toEqual({ ok: false, reason: 'key_unavailable' });
		const hits = server.hitsFor(path);
		expect(await verify()).toEqual({ ok: false, reason: 'key_unavailable' });
		expect(server.hitsFor(path)).toBe(hits);
		now += 60_000;
		await verify();
		expect(server.hitsFor(path)).toBe(hits + 1);
	});

	it('refuses a certificate outside its validity period', async () => {
		const notAfter = Date.parse(new X509Certificate(signing.certificatePem).validTo);
		expect(await verifySnsMessage(body(notification()), { ...options, nowMs: notAfter + 1000 })).toEqual({ ok: false, reason: 'invalid_signature' });
	});

	it('refuses malformed messages and signatures before fetching', async () => {
		const hits = server.hits.length;
		expect(await verifySnsMessage('{}', options)).toEqual({ ok: false, reason: 'malformed_signature' });
		expect(await verifySnsMessage(body({ ...notification(), Signature: 'not base64!' }), options)).toEqual({ ok: false, reason: 'malformed_signature' });
		expect(await verifySnsMessage(body({ ...notification(), Timestamp: 'yesterday' }), options)).toEqual({ ok: false, reason: 'malformed_signature' });
		expect(server.hits.length).toBe(hits);
	});

	describe('subscription confirmation', () => {
		const confirmation = (subscribeUrl: string, Type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation' = 'SubscriptionConfirmation') =>
			signSnsMessage(
				{
					Type,
					MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
					Token: '2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736',
					TopicArn: TOPIC,
					Message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
					SubscribeURL: subscribeUrl,
					Timestamp: '2026-12-04T19:06:40.655Z',
				},
				signing.privateKeyPem,
				certUrl,
			);

		it('exposes the SubscribeURL only after the message verified, and confirms it with one GET to the pinned host', async () => {
			const subscribeUrl = `${server.origin}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(TOPIC)}&Token=2336412f`;
			const result = await verifySnsMessage(body(confirmation(subscribeUrl)), options);
			expect(result).toMatchObject({ ok: true, type: 'SubscriptionConfirmation', isSubscriptionConfirmation: true, subscribeUrl });
			const before = server.hitsFor('/');
			expect(await confirmSnsSubscription(subscribeUrl, { hostPattern: LOOPBACK_HOST, ca: tls.certificatePem })).toEqual({ ok: true });
			expect(server.hitsFor('/') - before).toBe(1);
			expect(server.hits.at(-1)).toContain('Action=ConfirmSubscription');
			// A forged confirmation (signed by someone else) never gets that far.
			const forged = { ...confirmation(subscribeUrl), Token: 'other' };
			expect(await verifySnsMessage(body(forged), options)).toEqual({ ok: false, reason: 'invalid_signature' });
		});

		it('does not treat an UnsubscribeConfirmation as something to confirm', async () => {
			const result = await verifySnsMessage(body(confirmation(`${server.origin}/?Action=ConfirmSubscription`, 'UnsubscribeConfirmation')), options);
			expect(result).toMatchObject({ ok: true, type: 'UnsubscribeConfirmation', isSubscriptionConfirmation: false });
			expect(result.ok && result.subscribeUrl).toBeUndefined();
		});

		it('refuses a signed confirmation whose SubscribeURL is not an SNS confirmation URL', async () => {
			for (const url of ['https://evil.example/?Action=ConfirmSubscription', `${server.origin}/?Action=Unsubscribe`, `${server.origin.replace('https', 'http')}/?Action=ConfirmSubscription`]) {
				expect(await verifySnsMessage(body(confirmation(url)), options)).toEqual({ ok: false, reason: 'invalid_signature' });
			}
		});

		it('confirmSnsSubscription itself refuses anything but an SNS confirmation URL, without a request', async () => {
			const hits = server.hits.length;
			for (const url of [`${server.origin}/?Action=ConfirmSubscription`, 'https://sns.us-east-1.amazonaws.com.evil/?Action=ConfirmSubscription', 'https://sns.us-east-1.amazonaws.com/?Action=Publish']) {
				expect(await confirmSnsSubscription(url)).toEqual({ ok: false, reason: 'not_sns_url' });
			}
			expect(server.hits.length).toBe(hits);
		});
	});
});
