// A real OpenID provider for the single sign-on tests: panva's certified oidc-provider,
// listening on 127.0.0.1:$PORT with plain HTTP. The tests register their own client through
// dynamic registration (/reg) with the exact redirect URI they use, and sign in through the
// provider's own login and consent pages (devInteractions: the login is the account id,
// any password). The accounts come from $OIDC_ACCOUNTS (JSON: {login: claims}).
//
// One deliberate misbehaviour, for the "wrong audience" test: for a client registered with
// client_name "wrong-audience", the ID token sent back from /token is re-signed with the
// provider's own key but names another audience, as a token minted for another app would.
import { generateKeyPair, exportJWK, decodeJwt, SignJWT } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  jwks: { keys: [jwk] },
  cookies: { keys: ['tests-only-cookie-key'] },
  features: {
    devInteractions: { enabled: true },
    registration: { enabled: true },
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  scopes: ['openid', 'email', 'profile'],
  async findAccount(ctx, id) {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
});

provider.use(async (ctx, next) => {
  await next();
  const client = ctx.oidc && ctx.oidc.client;
  if (ctx.path === '/token' && ctx.body && ctx.body.id_token && client
      && client.clientName === 'wrong-audience') {
    const claims = decodeJwt(ctx.body.id_token);
    ctx.body.id_token = await new SignJWT({ ...claims, aud: 'another-app' })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .sign(privateKey);
  }
});

for (const event of ['server_error', 'grant.error', 'authorization.error']) {
  provider.on(event, (ctx, error) => process.stderr.write(`${event}: ${error.stack}\n`));
}

provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
