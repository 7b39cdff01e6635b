"""A suite as moto's server-mode users write them, run against `trident serve` unchanged.

moto's way (docs/server_mode.rst): TEST_SERVER_MODE=true, the clients' endpoint_url is the server
(TEST_SERVER_MODE_ENDPOINT), dummy keys `testing`/`testing`, account 123456789012, and a POST to
/moto-api/reset between tests. Trident runs with `--relaxed-auth --default-account 123456789012` and a
--config that declares one role in that account (AssumeRole needs the role to exist, as on AWS; moto does
not check). The node test tests/suites/suites.test.ts starts the server and runs this file.
"""

import os
import unittest
import urllib.request

import boto3
from botocore.exceptions import ClientError

ENDPOINT = os.environ["TEST_SERVER_MODE_ENDPOINT"]
ACCOUNT = "123456789012"
REGION = "us-east-1"


def client(service, **credentials):
    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=ENDPOINT,
        aws_access_key_id=credentials.get("key", "testing"),
        aws_secret_access_key=credentials.get("secret", "testing"),
        aws_session_token=credentials.get("token"),
    )


def error_code(context):
    return context.exception.response["Error"]["Code"]


class MotoServerModeTestCase(unittest.TestCase):
    def setUp(self):
        assert os.environ.get("TEST_SERVER_MODE") == "true"
        request = urllib.request.Request(f"{ENDPOINT}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request) as response:
            self.assertEqual(response.status, 200)
            self.assertEqual(response.read(), b'{"status":"ok"}')
        self.kms = client("kms")
        self.sts = client("sts")
        self.neptune = client("neptune")


class TestKms(MotoServerModeTestCase):
    def test_reset_between_tests_leaves_no_key(self):
        self.assertEqual(self.kms.list_keys()["Keys"], [])
        self.kms.create_key(Description="left behind")

    def test_reset_between_tests_leaves_no_key_either(self):
        self.assertEqual(self.kms.list_keys()["Keys"], [])
        self.kms.create_key(Description="left behind")

    def test_create_encrypt_decrypt(self):
        key = self.kms.create_key(Description="orders")["KeyMetadata"]
        self.assertEqual(key["AWSAccountId"], ACCOUNT)
        self.assertEqual(key["Arn"], f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key['KeyId']}")
        blob = self.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"secret",
                                EncryptionContext={"table": "orders"})["CiphertextBlob"]
        plain = self.kms.decrypt(CiphertextBlob=blob, EncryptionContext={"table": "orders"})
        self.assertEqual(plain["Plaintext"], b"secret")
        self.assertEqual(plain["KeyId"], key["Arn"])
        with self.assertRaises(ClientError) as context:
            self.kms.decrypt(CiphertextBlob=blob, EncryptionContext={"table": "other"})
        self.assertEqual(error_code(context), "InvalidCiphertextException")

    def test_aliases(self):
        key_id = self.kms.create_key()["KeyMetadata"]["KeyId"]
        self.kms.create_alias(AliasName="alias/orders", TargetKeyId=key_id)
        self.assertEqual(self.kms.describe_key(KeyId="alias/orders")["KeyMetadata"]["KeyId"], key_id)
        names = [alias["AliasName"] for alias in self.kms.list_aliases(KeyId=key_id)["Aliases"]]
        self.assertEqual(names, ["alias/orders"])
        with self.assertRaises(ClientError) as context:
            self.kms.create_alias(AliasName="alias/orders", TargetKeyId=key_id)
        self.assertEqual(error_code(context), "AlreadyExistsException")
        with self.assertRaises(ClientError) as context:
            self.kms.describe_key(KeyId="alias/nothing")
        self.assertEqual(error_code(context), "NotFoundException")

    def test_grants(self):
        key_id = self.kms.create_key()["KeyMetadata"]["KeyId"]
        grant = self.kms.create_grant(KeyId=key_id, GranteePrincipal=f"arn:aws:iam::{ACCOUNT}:root",
                                      Operations=["Encrypt", "Decrypt"], Name="app")
        grants = self.kms.list_grants(KeyId=key_id)["Grants"]
        self.assertEqual([g["GrantId"] for g in grants], [grant["GrantId"]])
        self.assertEqual(grants[0]["Operations"], ["Encrypt", "Decrypt"])
        self.kms.revoke_grant(KeyId=key_id, GrantId=grant["GrantId"])
        self.assertEqual(self.kms.list_grants(KeyId=key_id)["Grants"], [])

    def test_unknown_key(self):
        with self.assertRaises(ClientError) as context:
            self.kms.describe_key(KeyId="11111111-2222-3333-4444-555555555555")
        self.assertEqual(error_code(context), "NotFoundException")
        self.assertEqual(context.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)


class TestSts(MotoServerModeTestCase):
    def test_caller_identity_agrees_with_the_resources(self):
        identity = self.sts.get_caller_identity()
        self.assertEqual(identity["Account"], ACCOUNT)
        self.assertEqual(identity["Arn"], f"arn:aws:iam::{ACCOUNT}:root")
        key = self.kms.create_key()["KeyMetadata"]
        self.assertEqual(key["Arn"].split(":")[4], identity["Account"])

    def test_assume_role(self):
        role_arn = f"arn:aws:iam::{ACCOUNT}:role/fixture-role"
        credentials = self.sts.assume_role(RoleArn=role_arn, RoleSessionName="suite")["Credentials"]
        self.assertTrue(credentials["AccessKeyId"].startswith("ASIA"))
        session = client("sts", key=credentials["AccessKeyId"], secret=credentials["SecretAccessKey"],
                         token=credentials["SessionToken"])
        identity = session.get_caller_identity()
        self.assertEqual(identity["Arn"], f"arn:aws:sts::{ACCOUNT}:assumed-role/fixture-role/suite")
        self.assertEqual(identity["Account"], ACCOUNT)

    def test_assume_a_role_that_does_not_exist(self):
        # AWS refuses it (moto would hand out credentials): AccessDenied, as for a role that forbids it.
        with self.assertRaises(ClientError) as context:
            self.sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/nobody", RoleSessionName="suite")
        self.assertEqual(error_code(context), "AccessDenied")
        self.assertEqual(context.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)


class TestNeptune(MotoServerModeTestCase):
    def test_cluster_and_snapshots(self):
        cluster = self.neptune.create_db_cluster(DBClusterIdentifier="graph", Engine="neptune")["DBCluster"]
        self.assertEqual(cluster["DBClusterArn"], f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:graph")
        self.assertTrue(cluster["DbClusterResourceId"].startswith("cluster-"))
        # Served with --delays instant, as moto's state-manager defaults to immediate transitions.
        described = self.neptune.describe_db_clusters(DBClusterIdentifier="graph")["DBClusters"][0]
        self.assertEqual(described["Status"], "available")
        snapshot = self.neptune.create_db_cluster_snapshot(DBClusterIdentifier="graph",
                                                           DBClusterSnapshotIdentifier="graph-snap")
        self.assertEqual(snapshot["DBClusterSnapshot"]["DBClusterIdentifier"], "graph")
        # As on AWS, the new cluster has an automated snapshot too (rds:graph-…): ask for the manual ones.
        snapshots = self.neptune.describe_db_cluster_snapshots(DBClusterIdentifier="graph",
                                                               SnapshotType="manual")["DBClusterSnapshots"]
        self.assertEqual([s["DBClusterSnapshotIdentifier"] for s in snapshots], ["graph-snap"])

    def test_errors(self):
        with self.assertRaises(ClientError) as context:
            self.neptune.describe_db_clusters(DBClusterIdentifier="missing")
        self.assertEqual(error_code(context), "DBClusterNotFoundFault")
        self.assertEqual(context.exception.response["ResponseMetadata"]["HTTPStatusCode"], 404)
        self.neptune.create_db_cluster(DBClusterIdentifier="graph", Engine="neptune")
        with self.assertRaises(ClientError) as context:
            self.neptune.create_db_cluster(DBClusterIdentifier="graph", Engine="neptune")
        self.assertEqual(error_code(context), "DBClusterAlreadyExistsFault")


if __name__ == "__main__":
    unittest.main()
