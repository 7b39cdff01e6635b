import type { AccountDoc } from "../types.js";
import { href } from "../route.js";
import { Empty, ShortArn, Status } from "./common.js";

/** Every account that holds state, side by side: what it has, and what it shares with whom. */
export function AccountsView({ accounts }: { accounts: AccountDoc[] }) {
  if (accounts.length === 0) return <Empty>No account holds state yet.</Empty>;
  return (
    <div class="accounts" data-testid="accounts">
      {accounts.map((account) => (
        <AccountCard key={account.accountId} account={account} />
      ))}
    </div>
  );
}

function AccountCard({ account }: { account: AccountDoc }) {
  const headingId = `account-${account.accountId}`;
  return (
    <article class="card" aria-labelledby={headingId} data-testid="account-card" data-account={account.accountId}>
      <h2 id={headingId}>
        <a href={href({ view: "account", accountId: account.accountId })}>Account {account.accountId}</a>
      </h2>
      <p class="muted">{account.regions.length > 0 ? account.regions.join(", ") : "IAM only"}</p>
      <h3>Clusters</h3>
      {account.clusters.length === 0 ? (
        <Empty>none</Empty>
      ) : (
        <ul class="plain">
          {account.clusters.map((cluster) => (
            <li key={cluster.arn} data-testid="card-cluster">
              <strong>{cluster.id}</strong> <Status value={cluster.status} /> · {cluster.instances.length} instance
              {cluster.instances.length === 1 ? "" : "s"}
              {cluster.kmsKeyId ? (
                <>
                  {" "}
                  · key <ShortArn arn={cluster.kmsKeyId} />
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <h3>Snapshots</h3>
      {account.snapshots.length === 0 ? (
        <Empty>none</Empty>
      ) : (
        <ul class="plain">
          {account.snapshots.map((snapshot) => (
            <li key={snapshot.arn} data-testid="card-snapshot">
              <strong>{snapshot.id}</strong> <Status value={snapshot.status} />
              {snapshot.sharedWith.length > 0 ? <> · shared with {snapshot.sharedWith.join(", ")}</> : null}
              {snapshot.copiedFrom ? (
                <>
                  {" "}
                  · copied from <ShortArn arn={snapshot.copiedFrom} /> ({snapshot.copiedFrom.split(":")[4]})
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <h3>KMS keys</h3>
      {account.keys.length === 0 ? (
        <Empty>none</Empty>
      ) : (
        <ul class="plain">
          {account.keys.map((key) => {
            const others = new Set(
              key.policy.flatMap((s) => (s.effect === "Allow" ? s.principals.filter((p) => p.external) : [])),
            );
            return (
              <li key={key.arn}>
                <strong>{key.aliases[0] ?? key.keyId}</strong> <Status value={key.state} /> · {key.manager}
                {others.size > 0 ? <span class="external"> · lets other accounts in</span> : null}
              </li>
            );
          })}
        </ul>
      )}
      <p class="muted">
        IAM: {plural(account.iam.users.length, "user")}, {plural(account.iam.roles.length, "role")} ·{" "}
        {plural(account.events.length, "recent event")}
      </p>
    </article>
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
