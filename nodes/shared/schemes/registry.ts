import { discordScheme } from './discord';
import { githubScheme } from './github';
import { gitlabScheme } from './gitlab';
import { hmacScheme } from './hmac';
import { jwtScheme } from './jwt';
import { metaScheme } from './meta';
import { noneScheme } from './none';
import { shopifyScheme } from './shopify';
import { slackScheme } from './slack';
import { standardWebhooksScheme } from './standardWebhooks';
import { stripeScheme } from './stripe';
import { twilioScheme } from './twilio';
import type { SchemeName, SignatureScheme } from './types';
import { zoomScheme } from './zoom';

/** The `scheme` parameter's value → its module. Adding a provider is adding one module and one line here. */
export const SCHEMES: Readonly<Record<SchemeName, SignatureScheme>> = {
	standardWebhooks: standardWebhooksScheme,
	stripe: stripeScheme,
	github: githubScheme,
	slack: slackScheme,
	shopify: shopifyScheme,
	meta: metaScheme,
	twilio: twilioScheme,
	zoom: zoomScheme,
	discord: discordScheme,
	gitlab: gitlabScheme,
	hmac: hmacScheme,
	jwt: jwtScheme,
	none: noneScheme,
};

export function schemeByName(name: string): SignatureScheme {
	const scheme = (SCHEMES as Record<string, SignatureScheme | undefined>)[name];
	if (!scheme) throw new Error(`Unknown signature scheme "${name}"`);
	return scheme;
}
