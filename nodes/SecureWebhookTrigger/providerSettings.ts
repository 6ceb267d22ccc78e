import type { INodeProperties } from 'n8n-workflow';

import type { ProviderSetting } from '../shared/providers/types';

/**
 * The node settings catalogue entries ask for besides the credential (ProviderEntry.settings), for the key-fetching
 * providers: the JWT audience and service account a Google Pub/Sub push must carry, the topic an AWS SNS message
 * must come from. Each is shown only for the providers that need it (`providersNeeding`).
 */
export function providerSettingProperties(providersNeeding: (setting: ProviderSetting) => string[]): INodeProperties[] {
	const show = (setting: ProviderSetting) => ({ show: { provider: providersNeeding(setting), '@version': [3] } });
	return [
		{
			displayName: 'Audience',
			name: 'audience',
			type: 'string',
			default: '',
			placeholder: 'https://n8n.example.com/webhook/pubsub',
			description:
				'The audience the sender puts in its token (Pub/Sub: the push subscription\'s audience, by default the push endpoint URL). Required: nothing verifies while it is empty.',
			displayOptions: show('audience'),
		},
		{
			displayName: 'Service Account Email',
			name: 'serviceAccountEmail',
			type: 'string',
			default: '',
			placeholder: 'push-sender@my-project.iam.gserviceaccount.com',
			description:
				'The service account the push subscription authenticates as: the token\'s email must be this one. Required: anyone can have Google sign a token for any audience with a service account of their own.',
			displayOptions: show('serviceAccountEmail'),
		},
		{
			displayName: 'Topic ARN',
			name: 'topicArn',
			type: 'string',
			default: '',
			placeholder: 'arn:aws:sns:us-east-1:123456789012:my-topic',
			description: 'The ARN of the SNS topic this endpoint is subscribed to; messages of any other topic are refused. Required: nothing verifies while it is empty.',
			displayOptions: show('topicArn'),
		},
	];
}
