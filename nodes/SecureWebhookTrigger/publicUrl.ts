/**
 * The Public URL setting holds the production URL as configured at the provider (Twilio signs the URL it calls).
 * A request to the test URL was signed over the test URL: the same URL with n8n's test endpoint in place of the
 * production one (…/webhook/sms → …/webhook-test/sms), whatever the endpoints are called and whatever prefix a
 * proxy adds. The segment before the common tail of both paths is swapped; everything else stays byte for byte.
 */
export function publicUrlForRequest(configured: string, requestUrl: string): string {
	const hostStart = configured.indexOf('//');
	if (hostStart === -1) return configured;
	const pathStart = configured.indexOf('/', hostStart + 2);
	if (pathStart === -1) return configured;
	const pathEnd = configured.slice(pathStart).search(/[?#]/);
	const configuredPath = pathEnd === -1 ? configured.slice(pathStart) : configured.slice(pathStart, pathStart + pathEnd);
	const rest = configured.slice(pathStart + configuredPath.length);

	const configuredSegments = configuredPath.split('/');
	const requestSegments = (requestUrl.split(/[?#]/)[0] ?? '').split('/');
	let common = 0;
	while (
		common < configuredSegments.length - 1 &&
		common < requestSegments.length - 1 &&
		configuredSegments[configuredSegments.length - 1 - common] === requestSegments[requestSegments.length - 1 - common]
	) {
		common++;
	}
	const configuredIndex = configuredSegments.length - 1 - common;
	const requestIndex = requestSegments.length - 1 - common;
	// Nothing in common (another path), or no endpoint segment before it on either side.
	if (common === 0 || configuredIndex < 1 || requestIndex < 1) return configured;
	if (configuredSegments[configuredIndex] === requestSegments[requestIndex]) return configured;
	const swapped = [...configuredSegments];
	swapped[configuredIndex] = requestSegments[requestIndex];
	return configured.slice(0, pathStart) + swapped.join('/') + rest;
}
