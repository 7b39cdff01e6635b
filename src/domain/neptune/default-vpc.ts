import { createHash } from "node:crypto";
import type { Subnet } from "../../generated/neptune.js";
import { availabilityZones } from "./catalogue.js";

/**
 * The account's default VPC in a region, the only network Trident has (there is no EC2): its id, its default
 * security group and one subnet per Availability Zone. Stable per account and region, like a real default VPC.
 */

function hex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

export function defaultVpcId(accountId: string, region: string): string {
  return `vpc-${hex(`vpc:${accountId}:${region}`, 17)}`;
}

/** The default VPC's default security group, for resources created without VpcSecurityGroupIds. */
export function defaultSecurityGroupId(accountId: string, region: string): string {
  return `sg-${hex(`sg:${accountId}:${region}`, 17)}`;
}

/** The default VPC's subnets, one per Availability Zone: a subnet group can be built from them alone (*decided*). */
export function defaultVpcSubnets(accountId: string, region: string): Subnet[] {
  return availabilityZones(region).map((zone) => ({
    SubnetIdentifier: `subnet-${hex(`subnet:${accountId}:${zone}`, 17)}`,
    SubnetAvailabilityZone: { Name: zone },
    SubnetStatus: "Active",
  }));
}
