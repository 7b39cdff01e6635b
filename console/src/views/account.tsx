import type { AccountDoc } from "../types.js";
import { Empty, Section, ShortArn, Status, Time } from "./common.js";
import { KeysSection } from "./keys.js";

/** One account in full: clusters, snapshots, keys, IAM and recent events. */
export function AccountView({ account }: { account: AccountDoc | undefined }) {
  if (!account) return <Empty>This account holds no state.</Empty>;
  return (
    <div class="account-view" data-testid="account-view" data-account={account.accountId}>
      <h2 tabIndex={-1}>Account {account.accountId}</h2>
      <p class="muted">Regions: {account.regions.join(", ") || "none (IAM only)"}</p>
      <Section title="Clusters" count={account.clusters.length}>
        {account.clusters.length === 0 ? (
          <Empty>No clusters.</Empty>
        ) : (
          <div class="scroll">
            <table data-testid="clusters">
              <thead>
                <tr>
                  <th scope="col">Cluster</th>
                  <th scope="col">Status</th>
                  <th scope="col">Instances (role, status)</th>
                  <th scope="col">Encryption key</th>
                  <th scope="col">Endpoints</th>
                  <th scope="col">Region</th>
                </tr>
              </thead>
              <tbody>
                {account.clusters.map((cluster) => (
                  <tr key={cluster.arn} data-testid="cluster-row">
                    <th scope="row">{cluster.id}</th>
                    <td>
                      <Status value={cluster.status} />
                    </td>
                    <td>
                      {cluster.instances.length === 0 ? (
                        <span class="muted">no instances</span>
                      ) : (
                        <ul class="plain">
                          {cluster.instances.map((instance) => (
                            <li key={instance.id}>
                              {instance.id} ({instance.role}, {instance.instanceClass}){" "}
                              <Status value={instance.status} />
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>{cluster.kmsKeyId ? <ShortArn arn={cluster.kmsKeyId} /> : "not encrypted"}</td>
                    <td>
                      <code>{cluster.endpoint}</code>
                      <br />
                      <span class="muted">reader</span> <code>{cluster.readerEndpoint}</code>
                    </td>
                    <td>{cluster.region}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <Section title="Snapshots" count={account.snapshots.length}>
        {account.snapshots.length === 0 ? (
          <Empty>No snapshots.</Empty>
        ) : (
          <div class="scroll">
            <table data-testid="snapshots">
              <thead>
                <tr>
                  <th scope="col">Snapshot</th>
                  <th scope="col">Type</th>
                  <th scope="col">Status</th>
                  <th scope="col">Progress</th>
                  <th scope="col">Shared with</th>
                  <th scope="col">Copied from</th>
                  <th scope="col">Key</th>
                </tr>
              </thead>
              <tbody>
                {account.snapshots.map((snapshot) => (
                  <tr key={snapshot.arn} data-testid="snapshot-row">
                    <th scope="row">{snapshot.id}</th>
                    <td>{snapshot.type}</td>
                    <td>
                      <Status value={snapshot.status} />
                    </td>
                    <td>
                      <progress max={100} value={snapshot.percentProgress} aria-label={`${snapshot.id} progress`} />{" "}
                      {snapshot.percentProgress}%
                    </td>
                    <td data-testid="shared-with">{snapshot.sharedWith.join(", ") || "nobody"}</td>
                    <td>{snapshot.copiedFrom ? <ShortArn arn={snapshot.copiedFrom} /> : "—"}</td>
                    <td>{snapshot.kmsKeyId ? <ShortArn arn={snapshot.kmsKeyId} /> : "not encrypted"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <KeysSection account={account} />
      <Section title="IAM" count={account.iam.users.length + account.iam.roles.length}>
        <div class="columns">
          <div>
            <h4>Users</h4>
            {account.iam.users.length === 0 ? (
              <Empty>No users.</Empty>
            ) : (
              <ul class="plain" data-testid="iam-users">
                {account.iam.users.map((user) => (
                  <li key={user.arn}>
                    <strong>{user.name}</strong> · {user.accessKeys} access key{user.accessKeys === 1 ? "" : "s"}
                    {user.groups.length > 0 ? ` · groups ${user.groups.join(", ")}` : ""}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <h4>Roles</h4>
            {account.iam.roles.length === 0 ? (
              <Empty>No roles.</Empty>
            ) : (
              <ul class="plain" data-testid="iam-roles">
                {account.iam.roles.map((role) => (
                  <li key={role.arn}>
                    <strong>{role.name}</strong>
                    {role.trustedAccounts.length > 0 ? ` · assumable from ${role.trustedAccounts.join(", ")}` : ""}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      </Section>
      <Section title="Recent events" count={account.events.length}>
        {account.events.length === 0 ? (
          <Empty>No events in the last hour.</Empty>
        ) : (
          <div class="scroll">
            <table data-testid="events">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Source</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {account.events.map((event, i) => (
                  <tr key={`${event.at}-${i}`}>
                    <td>
                      <Time value={event.at} />
                    </td>
                    <td>
                      {event.sourceType} {event.sourceId}
                    </td>
                    <td>{event.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </div>
  );
}
