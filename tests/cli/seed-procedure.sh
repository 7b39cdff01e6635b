#!/usr/bin/env bash
# The seed's procedure (docs/rules.md, "The procedure") with the AWS CLI against a running
# `trident serve`, and each of the rules R1–R11 proved by the code and message of its refused variant.
#
#   A: a CMK, a cluster encrypted with it, a manual snapshot, shared with B, B added to the key policy;
#   B: sees the snapshot, copies it by ARN under a key of B, restores a cluster from the copy, creates an instance.
#   It ends with B's cluster and instance `available` and encrypted with B's key.
#
# Environment:
#   TRIDENT_ENDPOINT                      e.g. http://127.0.0.1:8182 (required)
#   A_ACCESS_KEY_ID / A_SECRET_ACCESS_KEY an administrator of the source account (required)
#   B_ACCESS_KEY_ID / B_SECRET_ACCESS_KEY an administrator of the target account (required)
#   B_DENIED_ACCESS_KEY_ID / B_DENIED_SECRET_ACCESS_KEY
#                                         a user of B whose IAM policy denies A's keys (optional: R10's IAM half)
#   AWS_REGION                            default us-east-1
#   WAIT_SECONDS                          how long to wait for each transition (default 60)
#
# Exits 0 with "seed procedure: passed" as its last line; on the first unexpected result it prints "FAIL: …" with
# the command and what came back, and exits 1.

set -eu -o pipefail

: "${TRIDENT_ENDPOINT:?set TRIDENT_ENDPOINT to the trident serve endpoint}"
: "${A_ACCESS_KEY_ID:?}" "${A_SECRET_ACCESS_KEY:?}" "${B_ACCESS_KEY_ID:?}" "${B_SECRET_ACCESS_KEY:?}"
REGION=${AWS_REGION:-us-east-1}
WAIT_SECONDS=${WAIT_SECONDS:-60}

# The CLI sees nothing of the machine's profiles, and does not retry: an error shows as it came off the wire.
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER="" AWS_MAX_ATTEMPTS=1 AWS_RETRY_MODE=standard
export AWS_DEFAULT_REGION="$REGION"
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}
step() { printf '\n== %s\n' "$*"; }
ok() { printf '   ok: %s\n' "$*"; }

# aws_as WHO ARGS…: the AWS CLI as `a`, `b` or `b-denied`, against the endpoint.
aws_as() {
  local who=$1 key secret
  shift
  case $who in
    a) key=$A_ACCESS_KEY_ID secret=$A_SECRET_ACCESS_KEY ;;
    b) key=$B_ACCESS_KEY_ID secret=$B_SECRET_ACCESS_KEY ;;
    b-denied) key=${B_DENIED_ACCESS_KEY_ID:-} secret=${B_DENIED_SECRET_ACCESS_KEY:-} ;;
    *) fail "unknown identity $who" ;;
  esac
  AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret aws --endpoint-url "$TRIDENT_ENDPOINT" --region "$REGION" "$@"
}

# run WHO ARGS…: must succeed; prints its output (use --query … --output text for one value).
run() {
  local who=$1
  shift
  if ! aws_as "$who" "$@" >"$WORK/out" 2>"$WORK/err"; then
    fail "as $who: aws $* failed: $(cat "$WORK/err")"
  fi
  cat "$WORK/out"
}

# refused WHO CODE MESSAGE ARGS…: must fail with exactly this error code and message.
refused() {
  local who=$1 code=$2 message=$3 got
  shift 3
  if aws_as "$who" "$@" >"$WORK/out" 2>"$WORK/err"; then
    fail "as $who: aws $* succeeded, expected ($code) $message"
  fi
  got=$(sed -n 's/^An error occurred (\([^)]*\)) when calling the [A-Za-z]* operation\( (reached max retries: [0-9]*)\)\{0,1\}: \(.*\)$/\1|\3/p' "$WORK/err" | head -n 1)
  [ "$got" = "$code|$message" ] || fail "as $who: aws $*
   expected: ($code) $message
   got:      $(cat "$WORK/err")"
}

# expect WHAT GOT WANT
expect() {
  [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}

# wait_for WHAT WANT WHO ARGS…: polls the command (one value) until it prints WANT.
wait_for() {
  local what=$1 want=$2 who=$3 got="" deadline
  shift 3
  deadline=$(($(date +%s) + WAIT_SECONDS))
  while [ "$(date +%s)" -le "$deadline" ]; do
    got=$(run "$who" "$@")
    [ "$got" = "$want" ] && return 0
    sleep 0.2
  done
  fail "$what: still '$got' after ${WAIT_SECONDS}s, expected '$want'"
}

cluster_status() { wait_for "cluster $2 of $1" available "$1" neptune describe-db-clusters --db-cluster-identifier "$2" --query 'DBClusters[0].Status' --output text; }
snapshot_status() { wait_for "snapshot $2 of $1" available "$1" neptune describe-db-cluster-snapshots --db-cluster-snapshot-identifier "$2" --query 'DBClusterSnapshots[0].Status' --output text; }

NOT_VALID_ID="The parameter DBClusterSnapshotIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens."
source_key_message() { printf 'The source snapshot KMS key [%s] does not exist, is not enabled or you do not have permissions to access it.' "$1"; }
specified_key_message() { printf 'Specified KMS key [%s] does not exist, is not enabled or you do not have permissions to access it.' "$1"; }

# ------------------------------------------------------------------------------------------------ who is who

step "identities (STS GetCallerIdentity on each side)"
A=$(run a sts get-caller-identity --query Account --output text)
B=$(run b sts get-caller-identity --query Account --output text)
[ "$A" != "$B" ] || fail "A and B are the same account ($A)"
ok "A = $A, B = $B"

# ------------------------------------------------------------------------------------------------ A: key, cluster, snapshot

step "A: a customer managed key and a cluster encrypted with it"
KEY_A=$(run a kms create-key --description "seed: source cluster key" --query KeyMetadata.Arn --output text)
run a neptune create-db-cluster --db-cluster-identifier seed-src --engine neptune --storage-encrypted --kms-key-id "$KEY_A" >/dev/null
cluster_status a seed-src
expect "source cluster key" "$(run a neptune describe-db-clusters --db-cluster-identifier seed-src --query 'DBClusters[0].KmsKeyId' --output text)" "$KEY_A"
ok "cluster seed-src available, encrypted with $KEY_A"

step "A: a manual snapshot"
expect "new snapshot status" "$(run a neptune create-db-cluster-snapshot --db-cluster-identifier seed-src --db-cluster-snapshot-identifier seed-snap \
  --query 'DBClusterSnapshot.[Status,SnapshotType]' --output text | tr '\t' ' ')" "creating manual"
snapshot_status a seed-snap
SNAP_ARN="arn:aws:rds:$REGION:$A:cluster-snapshot:seed-snap"
expect "snapshot ARN" "$(run a neptune describe-db-cluster-snapshots --db-cluster-snapshot-identifier seed-snap --query 'DBClusterSnapshots[0].DBClusterSnapshotArn' --output text)" "$SNAP_ARN"
ok "seed-snap available ($SNAP_ARN)"

# ------------------------------------------------------------------------------------------------ R1–R4: what may be shared

step "R1: an automated snapshot can't be shared"
AUTOMATED=$(run a neptune describe-db-cluster-snapshots --db-cluster-identifier seed-src --snapshot-type automated \
  --query 'DBClusterSnapshots[0].DBClusterSnapshotIdentifier' --output text)
case $AUTOMATED in rds:seed-src-*) ;; *) fail "automated snapshot id: got '$AUTOMATED'" ;; esac
refused a InvalidParameterValue "$NOT_VALID_ID" \
  neptune modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier "$AUTOMATED" --attribute-name restore --values-to-add "$B"
refused a InvalidDBClusterSnapshotStateFault "Only manual snapshots may be shared: copy the automated snapshot to a manual snapshot and share the copy." \
  neptune modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier "arn:aws:rds:$REGION:$A:cluster-snapshot:$AUTOMATED" \
  --attribute-name restore --values-to-add "$B"
ok "R1 ($AUTOMATED refused by name and by ARN)"

step "R2, R3: a manual unencrypted snapshot can be shared, privately and publicly; one under aws/rds can't be shared at all"
run a neptune create-db-cluster --db-cluster-identifier seed-plain --engine neptune >/dev/null
run a neptune create-db-cluster --db-cluster-identifier seed-managed --engine neptune --storage-encrypted >/dev/null
cluster_status a seed-plain
cluster_status a seed-managed
run a neptune create-db-cluster-snapshot --db-cluster-identifier seed-plain --db-cluster-snapshot-identifier seed-plain-snap >/dev/null
run a neptune create-db-cluster-snapshot --db-cluster-identifier seed-managed --db-cluster-snapshot-identifier seed-managed-snap >/dev/null
snapshot_status a seed-plain-snap
snapshot_status a seed-managed-snap
expect "R2 share" "$(run a neptune modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier seed-plain-snap --attribute-name restore \
  --values-to-add "$B" all --query 'DBClusterSnapshotAttributesResult.DBClusterSnapshotAttributes[0].AttributeValues' --output text | tr '\t' ' ')" "$B all"
ok "R2 (seed-plain-snap shared with $B and all)"
MANAGED_KEY=$(run a neptune describe-db-clusters --db-cluster-identifier seed-managed --query 'DBClusters[0].KmsKeyId' --output text)
expect "aws/rds key" "$(run a kms describe-key --key-id alias/aws/rds --query KeyMetadata.Arn --output text)" "$MANAGED_KEY"
R3_MESSAGE="The snapshot seed-managed-snap is encrypted with the AWS managed key alias/aws/rds ($MANAGED_KEY), which other accounts can't use, so it can't be shared. Copy the snapshot with a customer managed KMS key (CopyDBClusterSnapshot with KmsKeyId) and share the copy."
refused a InvalidParameterValue "$R3_MESSAGE" \
  neptune modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier seed-managed-snap --attribute-name restore --values-to-add "$B"
refused a InvalidParameterValue "$R3_MESSAGE" \
  neptune modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier seed-managed-snap --attribute-name restore --values-to-add all
ok "R3 (seed-managed-snap under $MANAGED_KEY refused, privately and publicly)"

step "R4: a snapshot under a CMK can be shared with accounts, never publicly"
refused a InvalidParameterValue "The snapshot seed-snap is encrypted and can't be made public: share it with specific AWS account IDs instead." \
  neptune modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier seed-snap --attribute-name restore --values-to-add all
expect "R4 share" "$(run a neptune modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier seed-snap --attribute-name restore \
  --values-to-add "$B" --query 'DBClusterSnapshotAttributesResult.DBClusterSnapshotAttributes[0].AttributeValues' --output text)" "$B"
ok "R4 (all refused; shared with $B)"

# ------------------------------------------------------------------------------------------------ B: see it, and what it can't do yet

step "R5: B sees the shared snapshot, and addresses it only by its ARN"
expect "shared listing" "$(run b neptune describe-db-cluster-snapshots --snapshot-type shared \
  --query "DBClusterSnapshots[?DBClusterSnapshotArn=='$SNAP_ARN'].[DBClusterSnapshotIdentifier,SnapshotType,Status]" --output text | tr '\t' ' ')" \
  "$SNAP_ARN shared available"
expect "IncludeShared listing" "$(run b neptune describe-db-cluster-snapshots --include-shared \
  --query "length(DBClusterSnapshots[?DBClusterSnapshotIdentifier=='$SNAP_ARN'])" --output text)" "1"
expect "default listing" "$(run b neptune describe-db-cluster-snapshots \
  --query "length(DBClusterSnapshots[?DBClusterSnapshotIdentifier=='$SNAP_ARN'])" --output text)" "0"
refused b DBClusterSnapshotNotFoundFault "DBClusterSnapshot not found: seed-snap" \
  neptune describe-db-cluster-snapshots --db-cluster-snapshot-identifier seed-snap
expect "by ARN" "$(run b neptune describe-db-cluster-snapshots --db-cluster-snapshot-identifier "$SNAP_ARN" \
  --query 'DBClusterSnapshots[0].KmsKeyId' --output text)" "$KEY_A"
ok "R5"

step "B: a key of its own"
KEY_B=$(run b kms create-key --description "seed: target cluster key" --query KeyMetadata.Arn --output text)
ok "$KEY_B"

step "R10 (source key): before A's key policy names B, the copy is refused"
refused b KMSKeyNotAccessibleFault "$(source_key_message "$KEY_A")" \
  neptune copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier "$SNAP_ARN" --target-db-cluster-snapshot-identifier seed-copy --kms-key-id "$KEY_B"
ok "R10 refused while A's key policy does not name B"

step "R10: while A's key policy does not name B, B's copy is refused on the source key"
refused b KMSKeyNotAccessibleFault "$(source_key_message "$KEY_A")" \
  neptune copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier "$SNAP_ARN" --target-db-cluster-snapshot-identifier seed-copy --kms-key-id "$KEY_B"
ok "R10 (A's key policy without B)"

step "A: add B to the key policy, keeping A's own full access (K1)"
cat >"$WORK/external.json" <<EOF
[
  {"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::$B:root"},
   "Action": ["kms:CreateGrant", "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
   "Resource": "*"},
  {"Sid": "Allow attachment of persistent resources", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::$B:root"},
   "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*",
   "Condition": {"Bool": {"kms:GrantIsForAWSResource": true}}}
]
EOF
printf '{"Version": "2012-10-17", "Statement": %s}\n' "$(cat "$WORK/external.json")" >"$WORK/docs-sample.json"
refused a MalformedPolicyDocumentException "The new key policy will not allow you to update the key policy in the future." \
  kms put-key-policy --key-id "$KEY_A" --policy-name default --policy "file://$WORK/docs-sample.json"
{
  printf '{"Version": "2012-10-17", "Statement": [\n'
  printf '  {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root"}, "Action": "kms:*", "Resource": "*"},\n' "$A"
  sed '1d;$d' "$WORK/external.json"
  printf ']}\n'
} >"$WORK/seed-policy.json"
run a kms put-key-policy --key-id "$KEY_A" --policy-name default --policy "file://$WORK/seed-policy.json" >/dev/null
ok "the docs' sample alone is refused (K1); the seed's policy is in place"

step "R6: an encrypted shared snapshot can't be restored directly"
refused b InvalidParameterValue "An encrypted snapshot shared from another account can't be restored directly: copy it to your account with CopyDBClusterSnapshot and a KmsKeyId of your account, then restore the copy." \
  neptune restore-db-cluster-from-snapshot --db-cluster-identifier seed-direct --snapshot-identifier "$SNAP_ARN" --engine neptune
ok "R6"

step "R8: tags can't be copied from a shared snapshot"
refused b InvalidParameterValue "Cannot copy tags for shared or public snapshots." \
  neptune copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier "$SNAP_ARN" --target-db-cluster-snapshot-identifier seed-copy --kms-key-id "$KEY_B" --copy-tags
ok "R8"

step "R9: the copy of an encrypted shared snapshot needs a key of B"
refused b InvalidParameterValue "The source snapshot is encrypted and belongs to another AWS account: specify a KmsKeyId of your account to encrypt the copy." \
  neptune copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier "$SNAP_ARN" --target-db-cluster-snapshot-identifier seed-copy
ok "R9"

step "R10: a target key B can't use, and (IAM half) a caller of B whose own policy denies A's key"
refused b KMSKeyNotAccessibleFault "$(specified_key_message None)" \
  neptune copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier "$SNAP_ARN" --target-db-cluster-snapshot-identifier seed-copy --kms-key-id None
if [ -n "${B_DENIED_ACCESS_KEY_ID:-}" ]; then
  refused b-denied KMSKeyNotAccessibleFault "$(source_key_message "$KEY_A")" \
    neptune copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier "$SNAP_ARN" --target-db-cluster-snapshot-identifier seed-copy --kms-key-id "$KEY_B"
  ok "R10 (target key None; source key refused by B's IAM policy)"
else
  ok "R10 (target key None; no B_DENIED user given, IAM half skipped)"
fi

# ------------------------------------------------------------------------------------------------ B: copy, restore, instance

step "R7: B copies the shared snapshot by ARN under its own key"
expect "copy response" "$(run b neptune copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier "$SNAP_ARN" \
  --target-db-cluster-snapshot-identifier seed-copy --kms-key-id "$KEY_B" \
  --query 'DBClusterSnapshot.[SnapshotType,SourceDBClusterSnapshotArn,KmsKeyId]' --output text | tr '\t' ' ')" "manual $SNAP_ARN $KEY_B"
snapshot_status b seed-copy
ok "R7 (seed-copy available in $B, from $SNAP_ARN, under $KEY_B)"

step "R11: B restores a cluster from its copy: creating, no instances, then available, encrypted with B's key"
expect "restore response" "$(run b neptune restore-db-cluster-from-snapshot --db-cluster-identifier seed-restored --snapshot-identifier seed-copy --engine neptune \
  --query 'DBCluster.[Status,length(DBClusterMembers),StorageEncrypted,KmsKeyId]' --output text | tr '\t' ' ')" "creating 0 True $KEY_B"
cluster_status b seed-restored
run b neptune create-db-instance --db-instance-identifier seed-restored-1 --db-cluster-identifier seed-restored --engine neptune \
  --db-instance-class db.r5.large >/dev/null
wait_for "instance seed-restored-1 of b" available b neptune describe-db-instances --db-instance-identifier seed-restored-1 \
  --query 'DBInstances[0].DBInstanceStatus' --output text
expect "restored cluster" "$(run b neptune describe-db-clusters --db-cluster-identifier seed-restored \
  --query 'DBClusters[0].[Status,StorageEncrypted,KmsKeyId,DBClusterMembers[0].DBInstanceIdentifier]' --output text | tr '\t' ' ')" \
  "available True $KEY_B seed-restored-1"
expect "restored instance" "$(run b neptune describe-db-instances --db-instance-identifier seed-restored-1 \
  --query 'DBInstances[0].[DBInstanceStatus,StorageEncrypted,KmsKeyId]' --output text | tr '\t' ' ')" "available True $KEY_B"
ok "R11 (seed-restored and seed-restored-1 available, encrypted with $KEY_B)"

# ------------------------------------------------------------------------------------------------ afterwards

step "afterwards: A stops sharing; B deletes its intermediate copy"
run a neptune modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier seed-snap --attribute-name restore --values-to-remove "$B" >/dev/null
expect "shared after unsharing" "$(run b neptune describe-db-cluster-snapshots --snapshot-type shared \
  --query "length(DBClusterSnapshots[?DBClusterSnapshotArn=='$SNAP_ARN'])" --output text)" "0"
run b neptune delete-db-cluster-snapshot --db-cluster-snapshot-identifier seed-copy >/dev/null
expect "restored cluster after cleanup" "$(run b neptune describe-db-clusters --db-cluster-identifier seed-restored --query 'DBClusters[0].Status' --output text)" "available"
ok "cleanup"

printf '\nseed procedure: passed\n'
