// The plan most tests apply: models.providers.openai.apiKey moved to an env SecretRef, in OpenClaw's plan format.
export const OPENAI_ENV_PLAN = {
  version: 1,
  protocolVersion: 1,
  targets: [
    {
      type: 'models.providers.apiKey',
      path: 'models.providers.openai.apiKey',
      pathSegments: ['models', 'providers', 'openai', 'apiKey'],
      providerId: 'openai',
      ref: { source: 'env', provider: 'default', id: 'OPENAI_API_KEY' },
    },
  ],
};
