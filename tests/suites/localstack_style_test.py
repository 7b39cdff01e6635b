"""A suite as LocalStack's users write them, run against `trident serve --relaxed-auth` unchanged.

LocalStack's way: wait until GET /_localstack/health says the services run, POST /_localstack/state/reset
between tests, the dummy keys `test`/`test` (account 000000000000), fixed KMS keys with the `_custom_id_` and
`_custom_key_material_` tags. The node test tests/suites/suites.test.ts starts the server and runs this file.
"""

import base64
import json
import os
import time
import unittest
import urllib.request

import boto3
from botocore.exceptions import ClientError

ENDPOINT = os.environ["LOCALSTACK_ENDPOINT"]
ACCOUNT = "000000000000"
REGION = "us-east-1"
FIXED_ID = "00000000-0000-0000-0000-000000000001"
FIXED_MATERIAL = base64.b64encode(bytes(range(32))).decode()


def post(path):
    request = urllib.request.Request(f"{ENDPOINT}{path}", method="POST")
    with urllib.request.urlopen(request) as response:
        return response.status


def wait_for_health(services=("kms", "sts", "rds")):
    # As LocalStack suites do; the server is ready before this runs, so the first answer already says so.
    for _ in range(50):
        try:
            with urllib.request.urlopen(f"{ENDPOINT}/_localstack/health") as response:
                states = json.load(response)["services"]
            if all(states.get(name) in ("running", "available") for name in services):
                return states
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("the emulator did not become healthy")


def client(service):
    return boto3.client(service, region_name=REGION, endpoint_url=ENDPOINT,
                        aws_access_key_id="test", aws_secret_access_key="test")


class LocalStackTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        wait_for_health()

    def setUp(self):
        self.assertEqual(post("/_localstack/state/reset"), 200)
        self.kms = client("kms")
        self.sts = client("sts")
        self.rds = client("neptune")


class TestLocalStackStyle(LocalStackTestCase):
    def test_health_reports_every_service_running(self):
        states = wait_for_health()
        self.assertEqual(states["kms"], "running")
        self.assertEqual(states["sts"], "running")

    def test_default_account_everywhere(self):
        self.assertEqual(self.sts.get_caller_identity()["Account"], ACCOUNT)
        key = self.kms.create_key()["KeyMetadata"]
        self.assertEqual(key["AWSAccountId"], ACCOUNT)

    def test_fixed_key_id_and_material(self):
        tags = [{"TagKey": "_custom_id_", "TagValue": FIXED_ID},
                {"TagKey": "_custom_key_material_", "TagValue": FIXED_MATERIAL}]
        key = self.kms.create_key(Tags=tags)["KeyMetadata"]
        self.assertEqual(key["KeyId"], FIXED_ID)
        blob = self.kms.encrypt(KeyId=FIXED_ID, Plaintext=b"pinned")["CiphertextBlob"]
        # The same id and material after a reset: yesterday's ciphertext still opens.
        self.assertEqual(post("/_localstack/state/reset"), 200)
        with self.assertRaises(ClientError) as context:
            self.kms.describe_key(KeyId=FIXED_ID)
        self.assertEqual(context.exception.response["Error"]["Code"], "NotFoundException")
        self.kms.create_key(Tags=tags)
        self.assertEqual(self.kms.decrypt(CiphertextBlob=blob)["Plaintext"], b"pinned")
        tag_keys = [t["TagKey"] for t in self.kms.list_resource_tags(KeyId=FIXED_ID)["Tags"]]
        self.assertEqual(tag_keys, ["_custom_id_"])

    def test_per_service_reset(self):
        self.kms.create_key()
        self.rds.create_db_cluster(DBClusterIdentifier="graph", Engine="neptune")
        self.assertEqual(post("/_localstack/state/kms/reset"), 200)
        self.assertEqual(self.kms.list_keys()["Keys"], [])
        clusters = self.rds.describe_db_clusters()["DBClusters"]
        self.assertEqual([c["DBClusterIdentifier"] for c in clusters], ["graph"])

    def test_unknown_service_reset_is_refused(self):
        with self.assertRaises(urllib.error.HTTPError) as context:
            post("/_localstack/state/sqs/reset")
        self.assertEqual(context.exception.code, 400)


if __name__ == "__main__":
    unittest.main()
