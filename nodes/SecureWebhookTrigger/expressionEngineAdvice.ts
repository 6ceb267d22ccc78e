import type { INodeProperties, Logger } from 'n8n-workflow';

/**
 * n8n 2.x's default expression engine (`vm`) takes a V8 isolate before every webhook request whose start node is not
 * n8n's own Webhook node (n8n's live-webhooks.ts, webhookPhaseNeedsIsolate): for this trigger, every request pays for
 * one, however quickly the trigger then rejects it. Lazy acquisition (or the legacy engine) removes that. Measured with
 * `npm run bench:n8n`; docs/n8n-settings.md has the figures and the change to n8n that would make this unnecessary.
 *
 * Only n8n's own, non-secret expression-engine variables are read, as @n8n/config reads them.
 */
export interface ExpressionEngineSettings {
	engine: 'legacy' | 'vm' | 'quickjs';
	lazyAcquire: boolean;
}

type Environment = Readonly<Record<string, string | undefined>>;

const ENGINES: ReadonlySet<string> = new Set(['legacy', 'vm', 'quickjs']);

/** @n8n/config's normalisation: trimmed, one pair of surrounding quotes removed. */
const normalised = (value: string) => value.trim().replace(/^(['"])(.*)\1$/, '$2');

/**
 * The engine settings n8n runs with, read from its environment with n8n's defaults (`vm`, eager acquisition). Undefined
 * when a setting comes from a `<NAME>_FILE` file, which this node does not read: then it cannot tell, and says nothing.
 */
export function expressionEngineSettings(env: Environment = process.env): ExpressionEngineSettings | undefined {
	const read = (name: string) => (name in env ? (env[name] ?? '') : env[`${name}_FILE`] ? null : undefined);
	const engineText = read('N8N_EXPRESSION_ENGINE');
	const lazyText = read('N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE');
	if (engineText === null || lazyText === null) return undefined;
	const engineValue = engineText === undefined ? 'vm' : normalised(engineText);
	const lazyValue = lazyText?.toLowerCase();
	return {
		// n8n falls back to its default for a value it does not know.
		engine: (ENGINES.has(engineValue) ? engineValue : 'vm') as ExpressionEngineSettings['engine'],
		lazyAcquire: lazyValue === 'true' || lazyValue === '1',
	};
}

/** True when n8n takes an isolate for every request to this trigger before the trigger runs. */
export function costsAnIsolatePerRequest(settings: ExpressionEngineSettings | undefined): boolean {
	return settings !== undefined && settings.engine !== 'legacy' && !settings.lazyAcquire;
}

/** The advice, in the log at activation and as a notice in the editor. */
export const ISOLATE_PER_REQUEST_ADVICE =
	"n8n's expression engine runs with its defaults (N8N_EXPRESSION_ENGINE=vm, isolates taken eagerly): n8n then takes " +
	'a V8 isolate for every request to this trigger before the trigger runs, so each rejected request (unsigned, forged, ' +
	'replayed) costs about as much as a started workflow, and a trickle of them saturates n8n. Set ' +
	'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true (n8n 2.x), or N8N_EXPRESSION_ENGINE=legacy. Where you cannot change ' +
	"n8n's settings, rate-limit this webhook path in your reverse proxy (the trigger's own rate limit runs after the " +
	'isolate). Details: docs/n8n-settings.md in the repository of this community package.';

/**
 * The advice as an editor notice, present only when the n8n process that describes the node to the editor runs with
 * such settings (n8n builds its node list at start, from this process's environment).
 */
export function isolateNoticeProperties(settings = expressionEngineSettings()): INodeProperties[] {
	if (!costsAnIsolatePerRequest(settings)) return [];
	return [{ displayName: ISOLATE_PER_REQUEST_ADVICE, name: 'expressionEngineNotice', type: 'notice', default: '' }];
}

let adviceLogged = false;

/** Logs the advice once per process, at the first activation that finds such settings. */
export function logIsolateAdviceOnce(logger: Pick<Logger, 'warn'>, settings = expressionEngineSettings()): void {
	if (adviceLogged || !costsAnIsolatePerRequest(settings)) return;
	adviceLogged = true;
	logger.warn(`Secure Webhook Trigger: ${ISOLATE_PER_REQUEST_ADVICE}`);
}
