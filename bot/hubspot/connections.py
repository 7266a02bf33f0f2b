"""Per-workspace HubSpot connections ("Connect HubSpot"): records, token refresh, clients.

Table ``hubspot_connections`` (created by bot/migrations/versions/0002_oauth.py, owned by H5).
One row per Slack workspace (or enterprise org install); tokens are Fernet-encrypted with
bot.crypto.TokenCipher (BOOKBOT_ENCRYPTION_KEY), never stored in clear:

    enterprise_id      String(64)  NOT NULL, "" when the workspace is not in an enterprise org
    team_id            String(64)  NOT NULL, "" for an org-wide install
                       PRIMARY KEY (enterprise_id, team_id)
    hub_id             String(32)  NULL      HubSpot portal (account) id the tokens belong to
    hub_domain         Text        NULL      the portal's domain, for App Home and `bookbot check`
    scopes             Text        NOT NULL  granted scopes, space-separated
    access_token       Text        NOT NULL  encrypted
    refresh_token      Text        NOT NULL  encrypted
    expires_at         DateTime(timezone=True) NOT NULL  when the access token expires (UTC)
    status             String(16)  NOT NULL  'connected' | 'broken'
                       CHECK (status IN ('connected', 'broken'))
    broken_reason      Text        NULL      why (e.g. the refresh token was revoked)
    connected_by       String(64)  NULL      Slack user id of the person who connected it
    created_at         DateTime(timezone=True) NOT NULL
    updated_at         DateTime(timezone=True) NOT NULL
"""
