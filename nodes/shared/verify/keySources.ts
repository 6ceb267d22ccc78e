import { SNS_HOST_PATTERN, sharedSnsCertificateCache, type SnsCertificateCache } from './awsSns';
import { sharedJwksCache, type JwksCache } from './jwks';

/**
 * Where the verifiers that fetch keys get them: one JWKS cache and one SNS certificate cache per process (memory
 * only), and the hosts AWS SNS certificates and subscription URLs may come from. A workflow cannot change any of it:
 * the trigger always uses `processKeySources()`; unit tests pass their own through `VerifyOptions.keySources`.
 */
export interface KeySources {
	jwks: JwksCache;
	snsCertificates: SnsCertificateCache;
	/** Hosts of SNS signing certificates and SubscribeURLs. */
	snsHostPattern: RegExp;
	/** Extra CA certificates for confirming an SNS subscription (tests). */
	snsConfirmCa?: string | readonly string[];
}

/**
 * For the end-to-end suite only: a loopback host name (`localhost`, `127.0.0.1`) accepted as an AWS SNS host by the
 * n8n process it is set for, so that a loopback HTTPS server can play SNS. Read from the environment of the n8n
 * process, never from a workflow; anything but a loopback name is ignored, so it can never point the verifier at
 * another machine. Trust for the loopback server's certificate comes from Node's own NODE_EXTRA_CA_CERTS.
 */
export const TEST_SNS_HOST_VARIABLE = 'N8N_AI_WEBHOOKS_TEST_SNS_HOST';

const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1']);

/** The SNS host pattern for this process: AWS's, or AWS's and the loopback test host named in the environment. */
export function snsHostPatternFor(environment: NodeJS.ProcessEnv): RegExp {
	const testHost = environment[TEST_SNS_HOST_VARIABLE]?.trim().toLowerCase();
	if (!testHost || !LOOPBACK_NAMES.has(testHost)) return SNS_HOST_PATTERN;
	const escaped = testHost.replace(/\./g, '\\.');
	return new RegExp(`${SNS_HOST_PATTERN.source}|^${escaped}$`);
}

let processSources: KeySources | undefined;

/** The key sources of this process (created on first use). */
export function processKeySources(): KeySources {
	processSources ??= { jwks: sharedJwksCache, snsCertificates: sharedSnsCertificateCache, snsHostPattern: snsHostPatternFor(process.env) };
	return processSources;
}

