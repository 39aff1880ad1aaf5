// One recipe per exec backend: which tools it needs, how the generated wrapper reads one id, how each
// CLI's failures map to per-id errors, and how a value is stored. Plain data, so the wrapper can embed it.

export type RecipeId = 'pass' | 'secret-tool' | 'aws' | 'aliyun' | 'vault' | '1password' | 'azure' | 'bitwarden';

/** Per-id error codes the wrappers return; OpenClaw shows NOT_FOUND, the others are for our messages. */
export type WrapperErrorCode =
  'NOT_FOUND' | 'ACCESS_DENIED' | 'NOT_LOGGED_IN' | 'UNAVAILABLE' | 'BAD_OUTPUT' | 'TOOL_FAILED' | 'TOOL_MISSING';

/** A failure shape of the backend's CLI: a pattern on its stderr+stdout (case-insensitive) and what it means. */
export interface FailureRule {
  pattern: string;
  /** when set, the rule also requires this exit code */
  exitCode?: number;
  /** when true, the rule matches only an empty stderr+stdout (e.g. `secret-tool lookup` miss) */
  emptyOutput?: boolean;
  code: WrapperErrorCode;
  cause: string;
}

/** How the wrapper turns the CLI's stdout into the value. */
export type OutputShape =
  | { kind: 'firstLine' }
  | { kind: 'text' }
  /** JSON document; the first of these property paths that holds a string is the value */
  | { kind: 'json'; paths: string[][] };

export interface ReadSpec {
  /** argv template: `{tool:NAME}` the tool's absolute path, `{name}` the backend's secret name, `{field}` the field, `{opt:KEY}` an option */
  argv: string[];
  /** argv pieces added only when the option is set, e.g. `--region {opt:region}` */
  optionalArgv?: { option: string; argv: string[] }[];
  /**
   * What `#` in an id means: `json` = `name#key` picks a key of a JSON secret (AWS/Aliyun bundles);
   * `field` = `path#field` fills `{field}` (Vault); `none` = `#` is part of the name.
   */
  hash: 'json' | 'field' | 'none';
  /** `{field}` when the id has no `#field` */
  defaultField?: string;
  /** text prefixed to the id to make the name (1Password's `op://`) */
  namePrefix?: string;
  output: OutputShape;
  failures: FailureRule[];
}

export interface RecipeOption {
  key: string;
  label: string;
  required: boolean;
  /** the option's value must match (checked before it goes into a wrapper or an argv) */
  pattern: string;
  /** not required, but the editor asks for it before a move (it names where new entries go) */
  ask?: boolean;
}

/** How a value gets into the backend: argv run with the value on stdin, or a documented manual step. */
export interface StoreSpec {
  /**
   * argv template as in ReadSpec; the value goes on stdin (or, with `valueFile`, into the file `{file}`
   * names); absent when the CLI only takes values in argv
   */
  argv?: string[];
  /**
   * The CLI reads the value only from a file named in argv: it is written to a 0600 temp file (`{file}` in
   * argv) removed as soon as the CLI exits, and the CLI's stdin is /dev/null. `raw`: the value as is;
   * `1password-item`: a 1Password item JSON template holding the value in the id's field.
   */
  valueFile?: { payload: 'raw' | '1password-item' };
  /** when `existsProbe` finds the name and there is no `updateArgv`: why nothing is stored, and the manual step */
  existsManual?: string;
  optionalArgv?: { option: string; argv: string[] }[];
  /** argv that adds the value to an existing name without touching the rest (Vault `kv patch`); see existsProbe */
  updateArgv?: string[];
  /** why there is no stdin command, and what to do instead */
  manual?: string;
  /**
   * Run (no value involved) when the id's own value is absent, to choose between `argv` and `updateArgv`:
   * exit 0 = the name exists (e.g. a Vault path holding other fields: `updateArgv` keeps them), output
   * matching `absentPattern` = it does not (`argv`); anything else = cannot tell, so nothing is stored.
   * Without it `argv` is always used and `updateArgv` never is: an existing value is never replaced.
   */
  existsProbe?: { argv: string[]; absentPattern: string };
  /**
   * The CLI opens /dev/stdin by name, which fails (ENXIO) when stdin is a socket, as Node's spawn pipes
   * are: storeArgv then runs it behind `cat |` so it reads a real pipe.
   */
  opensStdinByPath?: boolean;
}

/**
 * A cheap call that succeeds only when the CLI is logged in (cloud backends): run with an absolute path,
 * a short deadline and no value; exit 0 = logged in. Its output is never shown beyond a one-line reason.
 */
export interface LoginSpec {
  argv: string[];
  optionalArgv?: { option: string; argv: string[] }[];
}

export interface Recipe {
  id: RecipeId;
  label: string;
  /** `local`: stores on this machine the flow can write and read back; `cloud`: may need a login and the network */
  kind: 'local' | 'cloud';
  /** command names found on PATH at generation time; the first is the backend's CLI */
  tools: string[];
  /** docs page, relative to the repository root */
  docs: string;
  /** what a SecretRef id means for this backend */
  idMeaning: string;
  /** environment variables OpenClaw passes through to the wrapper (it passes nothing else) */
  passEnv: string[];
  /** baked into the wrapper's child environment when set at generation time (non-secret locations) */
  bakeEnv: string[];
  timeoutMs: number;
  options: RecipeOption[];
  read: ReadSpec;
  store: StoreSpec;
  /** cloud backends: how to tell that the CLI is logged in before a value is moved */
  login?: LoginSpec;
}

const REGION = '^[a-z0-9-]{2,40}$';
const PROFILE = '^[A-Za-z0-9_.@-]{1,64}$';
/** One part of a 1Password secret reference (vault, item, section, field): what `op://` accepts unquoted. */
export const OP_SEGMENT = '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$';

// Failures every CLI can show: the network is out of reach.
const NETWORK: FailureRule[] = [
  {
    pattern:
      'could not connect|connection refused|name or service not known|temporary failure in name resolution|network is unreachable|timed out|timeout',
    code: 'UNAVAILABLE',
    cause: 'the service could not be reached (network or endpoint)',
  },
];

export const recipes: readonly Recipe[] = [
  {
    id: 'pass',
    label: 'pass (password-store)',
    kind: 'local',
    tools: ['pass', 'gpg'],
    docs: 'docs/backends/pass.md',
    idMeaning: 'the pass entry path, e.g. openclaw/providers/openai/apiKey (the value is its first line)',
    passEnv: ['GNUPGHOME', 'PASSWORD_STORE_DIR', 'GPG_AGENT_INFO'],
    bakeEnv: ['HOME', 'GNUPGHOME', 'PASSWORD_STORE_DIR'],
    timeoutMs: 10_000,
    options: [],
    read: {
      argv: ['{tool:pass}', 'show', '--', '{name}'],
      hash: 'none',
      output: { kind: 'firstLine' },
      failures: [
        { pattern: 'is not in the password store', code: 'NOT_FOUND', cause: 'no such pass entry' },
        {
          pattern: 'no secret key|decryption failed|bad passphrase|inappropriate ioctl|no pinentry|operation cancelled',
          code: 'ACCESS_DENIED',
          cause: 'gpg could not decrypt the entry (key missing, locked or passphrase needed)',
        },
        {
          pattern: 'you must run|password store is empty|try "pass init"',
          code: 'UNAVAILABLE',
          cause: 'the password store is not initialised (pass init)',
        },
      ],
    },
    store: { argv: ['{tool:pass}', 'insert', '--multiline', '--force', '--', '{name}'] },
  },
  {
    id: 'secret-tool',
    label: 'System keyring (Secret Service, secret-tool)',
    kind: 'local',
    tools: ['secret-tool'],
    docs: 'docs/backends/secret-tool.md',
    idMeaning: 'the value of the `id` attribute of an item with `application openclaw`',
    passEnv: ['DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR'],
    bakeEnv: [],
    timeoutMs: 10_000,
    options: [],
    read: {
      argv: ['{tool:secret-tool}', 'lookup', 'application', 'openclaw', 'id', '{name}'],
      hash: 'none',
      output: { kind: 'text' },
      failures: [
        { pattern: '', exitCode: 1, emptyOutput: true, code: 'NOT_FOUND', cause: 'no keyring item with this id' },
        {
          pattern: 'autolaunch|dbus|not provided by any .service|no such interface|could not connect',
          code: 'UNAVAILABLE',
          cause: 'no Secret Service on the session bus (pass DBUS_SESSION_BUS_ADDRESS; is the keyring running?)',
        },
        {
          pattern: 'locked|prompt|dismissed|cannot open display|object does not exist',
          code: 'ACCESS_DENIED',
          cause: 'the keyring is locked (unlock it in the desktop session)',
        },
      ],
    },
    store: {
      argv: ['{tool:secret-tool}', 'store', '--label=OpenClaw {name}', 'application', 'openclaw', 'id', '{name}'],
    },
  },
  {
    id: 'aws',
    label: 'AWS Secrets Manager',
    kind: 'cloud',
    tools: ['aws'],
    docs: 'docs/backends/aws.md',
    idMeaning: 'the secret name or ARN; `name#key` picks a key of a JSON secret',
    passEnv: [
      'AWS_PROFILE',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_CONFIG_FILE',
      'AWS_SHARED_CREDENTIALS_FILE',
      'AWS_CA_BUNDLE',
    ],
    bakeEnv: ['HOME'],
    timeoutMs: 30_000,
    options: [
      { key: 'region', label: 'Region', required: false, pattern: REGION },
      { key: 'profile', label: 'Profile', required: false, pattern: PROFILE },
      { key: 'endpointUrl', label: 'Endpoint URL', required: false, pattern: '^https?://[A-Za-z0-9.:/_-]{1,200}$' },
    ],
    read: {
      argv: ['{tool:aws}', 'secretsmanager', 'get-secret-value', '--secret-id', '{name}', '--output', 'json'],
      optionalArgv: [
        { option: 'region', argv: ['--region', '{opt:region}'] },
        { option: 'profile', argv: ['--profile', '{opt:profile}'] },
        { option: 'endpointUrl', argv: ['--endpoint-url', '{opt:endpointUrl}'] },
      ],
      hash: 'json',
      output: { kind: 'json', paths: [['SecretString']] },
      failures: [
        {
          pattern: 'ResourceNotFoundException',
          code: 'NOT_FOUND',
          cause: 'no such secret (ResourceNotFoundException)',
        },
        {
          pattern: 'AccessDenied|not authorized to perform|UnrecognizedClientException|InvalidSignature',
          code: 'ACCESS_DENIED',
          cause: 'access denied (check the IAM policy for secretsmanager:GetSecretValue)',
        },
        {
          pattern:
            'Unable to locate credentials|ExpiredToken|token has expired|sso session|aws sso login|InvalidClientTokenId|could not be found|You must specify a region',
          code: 'NOT_LOGGED_IN',
          cause: 'no usable AWS credentials or region (aws configure / aws sso login, or pass AWS_PROFILE)',
        },
        {
          pattern: 'DecryptionFailure|InvalidRequestException',
          code: 'ACCESS_DENIED',
          cause: 'the secret cannot be read now (deleted, or its KMS key is not usable)',
        },
        ...NETWORK,
      ],
    },
    store: {
      argv: [
        '{tool:aws}',
        'secretsmanager',
        'create-secret',
        '--name',
        '{name}',
        '--secret-string',
        'file:///dev/stdin',
      ],
      opensStdinByPath: true,
      optionalArgv: [
        { option: 'region', argv: ['--region', '{opt:region}'] },
        { option: 'profile', argv: ['--profile', '{opt:profile}'] },
        { option: 'endpointUrl', argv: ['--endpoint-url', '{opt:endpointUrl}'] },
      ],
    },
    // Needs no IAM permission; an endpoint URL (LocalStack and the like) serves STS too.
    login: {
      argv: ['{tool:aws}', 'sts', 'get-caller-identity', '--output', 'json'],
      optionalArgv: [
        { option: 'region', argv: ['--region', '{opt:region}'] },
        { option: 'profile', argv: ['--profile', '{opt:profile}'] },
        { option: 'endpointUrl', argv: ['--endpoint-url', '{opt:endpointUrl}'] },
      ],
    },
  },
  {
    id: 'aliyun',
    label: 'Alibaba Cloud (Aliyun) Secrets Manager',
    kind: 'cloud',
    tools: ['aliyun'],
    docs: 'docs/backends/aliyun.md',
    idMeaning: 'the secret name; `name#key` picks a key of a JSON secret',
    passEnv: [
      'ALIBABA_CLOUD_PROFILE',
      'ALIBABA_CLOUD_REGION_ID',
      'ALIBABA_CLOUD_ACCESS_KEY_ID',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      'ALIBABA_CLOUD_SECURITY_TOKEN',
      'ALIBABA_CLOUD_CONFIG_FILE',
    ],
    bakeEnv: ['HOME'],
    timeoutMs: 30_000,
    options: [
      { key: 'region', label: 'Region', required: true, pattern: REGION },
      { key: 'profile', label: 'Profile', required: false, pattern: PROFILE },
    ],
    read: {
      argv: ['{tool:aliyun}', 'kms', 'GetSecretValue', '--SecretName', '{name}', '--region', '{opt:region}'],
      optionalArgv: [{ option: 'profile', argv: ['--profile', '{opt:profile}'] }],
      hash: 'json',
      // The API's response has SecretData at the top; the seed's `.Data.SecretData` is accepted too.
      output: { kind: 'json', paths: [['SecretData'], ['Data', 'SecretData']] },
      failures: [
        {
          pattern: 'Forbidden\\.ResourceNotFound|EntityNotExist|SecretNotFound',
          code: 'NOT_FOUND',
          cause: 'no such secret (Forbidden.ResourceNotFound)',
        },
        {
          pattern: 'Forbidden\\.NoPermission|Forbidden\\.RAM|NoPermission|Forbidden\\.KeyNotFound',
          code: 'ACCESS_DENIED',
          cause: 'access denied (check the RAM policy for kms:GetSecretValue)',
        },
        {
          pattern: 'InvalidAccessKeyId|SignatureDoesNotMatch|can not find credential|configure|credential',
          code: 'NOT_LOGGED_IN',
          cause: 'no usable Aliyun credentials (aliyun configure, or pass ALIBABA_CLOUD_* variables)',
        },
        ...NETWORK,
      ],
    },
    // The CLI reads any RPC parameter from a file with the `-FILE` suffix (`--SecretData-FILE PATH`): the
    // value goes into a 0600 temp file, never into argv. CreateSecret never overwrites (Rejected.ResourceExist).
    store: {
      argv: [
        '{tool:aliyun}',
        'kms',
        'CreateSecret',
        '--SecretName',
        '{name}',
        '--SecretData-FILE',
        '{file}',
        '--VersionId',
        'v1',
        '--region',
        '{opt:region}',
      ],
      optionalArgv: [{ option: 'profile', argv: ['--profile', '{opt:profile}'] }],
      valueFile: { payload: 'raw' },
    },
    login: {
      argv: ['{tool:aliyun}', 'sts', 'GetCallerIdentity', '--region', '{opt:region}'],
      optionalArgv: [{ option: 'profile', argv: ['--profile', '{opt:profile}'] }],
    },
  },
  {
    id: 'vault',
    label: 'HashiCorp Vault (KV)',
    kind: 'cloud',
    tools: ['vault'],
    docs: 'docs/backends/vault.md',
    idMeaning: 'the KV path, e.g. secret/openclaw/openai; `path#field` picks a field (default `value`)',
    passEnv: ['VAULT_ADDR', 'VAULT_TOKEN', 'VAULT_NAMESPACE', 'VAULT_CACERT', 'VAULT_TOKEN_FILE'],
    bakeEnv: ['HOME'],
    timeoutMs: 15_000,
    // The address comes from VAULT_ADDR (passEnv): vault's flags must precede the path, so no option here.
    options: [],
    read: {
      argv: ['{tool:vault}', 'kv', 'get', '-field={field}', '{name}'],
      hash: 'field',
      defaultField: 'value',
      output: { kind: 'text' },
      failures: [
        { pattern: 'No value found at|not present in secret', code: 'NOT_FOUND', cause: 'no such path or field' },
        // Vault answers 403 for a missing token too, so the token rule comes first.
        {
          pattern: 'missing client token|invalid token|token is expired|Code: 401',
          code: 'NOT_LOGGED_IN',
          cause: 'no valid Vault token (vault login, or pass VAULT_TOKEN)',
        },
        {
          pattern: 'permission denied',
          code: 'ACCESS_DENIED',
          cause: 'permission denied (check the Vault policy grants read on the path)',
        },
        ...NETWORK,
      ],
    },
    // `kv put` replaces every field of the path, so an existing path is patched instead (KV v2): the
    // metadata call tells "path absent" (put) from "path holds other fields" (patch) without reading values.
    store: {
      argv: ['{tool:vault}', 'kv', 'put', '{name}', '{field}=-'],
      updateArgv: ['{tool:vault}', 'kv', 'patch', '{name}', '{field}=-'],
      existsProbe: { argv: ['{tool:vault}', 'kv', 'metadata', 'get', '{name}'], absentPattern: 'No value found at' },
    },
    login: { argv: ['{tool:vault}', 'token', 'lookup', '-format=json'] },
  },
  {
    id: '1password',
    label: '1Password CLI',
    kind: 'cloud',
    tools: ['op'],
    docs: 'docs/backends/1password.md',
    idMeaning: 'the secret reference without `op://`, e.g. Private/OpenAI/credential',
    passEnv: ['OP_SERVICE_ACCOUNT_TOKEN', 'OP_CONNECT_HOST', 'OP_CONNECT_TOKEN', 'OP_ACCOUNT'],
    bakeEnv: ['HOME'],
    timeoutMs: 20_000,
    // Only names new items (the suggested id's vault): the id holds the vault, so the wrapper needs none.
    options: [
      { key: 'vault', label: '1Password vault for new items', required: false, pattern: OP_SEGMENT, ask: true },
    ],
    read: {
      argv: ['{tool:op}', 'read', '--no-newline', '{name}'],
      hash: 'none',
      namePrefix: 'op://',
      output: { kind: 'text' },
      failures: [
        {
          pattern: "isn't an item|isn't a vault|no item found|could not find|isn't a field|does not have a field",
          code: 'NOT_FOUND',
          cause: 'no such vault, item or field',
        },
        {
          pattern:
            'not currently signed in|not signed in|no accounts configured|session expired|authorization prompt dismissed|401',
          code: 'NOT_LOGGED_IN',
          cause: 'not signed in (op signin, or pass OP_SERVICE_ACCOUNT_TOKEN)',
        },
        {
          pattern: 'forbidden|403|access denied|not allowed',
          code: 'ACCESS_DENIED',
          cause: 'access denied to the vault or item',
        },
        ...NETWORK,
      ],
    },
    // A new item from a JSON template file (op's documented way for sensitive values; assignment statements
    // would put the value in argv). An existing item is never edited: `op item edit --template` replaces
    // the whole item, so the probe finds it and the move stops with the manual step.
    store: {
      argv: ['{tool:op}', 'item', 'create', '--vault', '{seg:0}', '--template', '{file}'],
      valueFile: { payload: '1password-item' },
      existsProbe: {
        argv: ['{tool:op}', 'item', 'get', '{seg:1}', '--vault', '{seg:0}', '--format', 'json'],
        absentPattern: "isn't an item",
      },
      existsManual:
        'the item exists without this field, and 1Password CLI can add a field to an existing item only with the value in argv (assignment statements) or by replacing the whole item (`op item edit --template`); add the field in the 1Password app and run the move again (it then finds the value and only rewrites the config), or pick an item name that does not exist yet',
    },
    login: { argv: ['{tool:op}', 'whoami'] },
  },
  {
    id: 'azure',
    label: 'Azure Key Vault',
    kind: 'cloud',
    tools: ['az'],
    docs: 'docs/backends/azure.md',
    idMeaning: 'the secret name in the vault (letters, digits and dashes)',
    passEnv: [
      'AZURE_CONFIG_DIR',
      'AZURE_CLIENT_ID',
      'AZURE_TENANT_ID',
      'AZURE_CLIENT_SECRET',
      'IDENTITY_ENDPOINT',
      'IDENTITY_HEADER',
      'MSI_ENDPOINT',
      'MSI_SECRET',
    ],
    bakeEnv: ['HOME'],
    timeoutMs: 45_000,
    options: [{ key: 'vaultName', label: 'Key Vault name', required: true, pattern: '^[A-Za-z0-9-]{3,24}$' }],
    read: {
      argv: [
        '{tool:az}',
        'keyvault',
        'secret',
        'show',
        '--vault-name',
        '{opt:vaultName}',
        '--name',
        '{name}',
        '--output',
        'json',
      ],
      hash: 'none',
      output: { kind: 'json', paths: [['value']] },
      failures: [
        {
          pattern: 'SecretNotFound|was not found in this key vault',
          code: 'NOT_FOUND',
          cause: 'no such secret (SecretNotFound)',
        },
        {
          pattern: "az login|Please run 'az login'|AADSTS|refresh token|not logged in",
          code: 'NOT_LOGGED_IN',
          cause: 'not logged in to Azure (az login)',
        },
        {
          pattern: 'Forbidden|does not have secrets get permission|AuthorizationFailed|not authorized',
          code: 'ACCESS_DENIED',
          cause: 'access denied (needs secrets get: Key Vault Secrets User role or an access policy)',
        },
        {
          pattern: 'VaultNotFound|getaddrinfo|Failed to resolve|Max retries exceeded',
          code: 'UNAVAILABLE',
          cause: 'the key vault could not be reached (name or network)',
        },
        ...NETWORK,
      ],
    },
    store: {
      argv: [
        '{tool:az}',
        'keyvault',
        'secret',
        'set',
        '--vault-name',
        '{opt:vaultName}',
        '--name',
        '{name}',
        '--file',
        '/dev/stdin',
        '--output',
        'none',
      ],
      opensStdinByPath: true,
    },
    login: { argv: ['{tool:az}', 'account', 'show', '--output', 'none'] },
  },
  {
    id: 'bitwarden',
    label: 'Bitwarden Secrets Manager (bws)',
    kind: 'cloud',
    tools: ['bws'],
    docs: 'docs/backends/bitwarden.md',
    idMeaning: 'the secret id (a UUID) shown by `bws secret list`',
    passEnv: ['BWS_ACCESS_TOKEN', 'BWS_SERVER_URL'],
    bakeEnv: ['HOME'],
    timeoutMs: 20_000,
    options: [],
    read: {
      argv: ['{tool:bws}', 'secret', 'get', '{name}', '--output', 'json'],
      hash: 'none',
      output: { kind: 'json', paths: [['value']] },
      failures: [
        {
          pattern: '404|Resource not found|not found',
          code: 'NOT_FOUND',
          cause: 'no such secret (or not shared with this machine account)',
        },
        {
          pattern: 'access[-_ ]token|401|Unauthorized|invalid_client',
          code: 'NOT_LOGGED_IN',
          cause: 'no valid access token (pass BWS_ACCESS_TOKEN)',
        },
        { pattern: '403|Forbidden', code: 'ACCESS_DENIED', cause: 'the machine account may not read this secret' },
        ...NETWORK,
      ],
    },
    store: {
      manual:
        '`bws secret create` takes the value as a command-line argument; create the secret in the Bitwarden web app (Secrets Manager > New secret) and use its id.',
    },
    login: { argv: ['{tool:bws}', 'project', 'list', '--output', 'json'] },
  },
];

export function recipeById(id: string): Recipe | undefined {
  return recipes.find((r) => r.id === id);
}
