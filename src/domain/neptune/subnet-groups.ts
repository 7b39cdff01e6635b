import type {
  CreateDBSubnetGroupMessage,
  DBSubnetGroup,
  DeleteDBSubnetGroupMessage,
  DescribeDBSubnetGroupsMessage,
  ModifyDBSubnetGroupMessage,
  Subnet,
} from "../../generated/neptune.js";
import type { AwsError } from "../../protocol/errors.js";
import { CommonErrors } from "../../protocol/errors.js";
import { neptuneFault } from "../../services/neptune/errors.js";
import { ownName, rdsArn } from "./arn.js";
import { defaultVpcId, defaultVpcSubnets } from "./default-vpc.js";
import { listPage, refuseFilters } from "./listing.js";
import { clusterTable, type Place } from "./records.js";
import { deleteAllTags, setTags, validateTags } from "./tags.js";

/**
 * DB subnet groups of one (account, region). The `default` group (all subnets of the account's default VPC)
 * exists implicitly everywhere: it is computed, never stored, so no account needs seeding and none can change it.
 * Custom groups are stored records keyed by their lowercase name.
 */

export interface SubnetGroupRecord {
  DBSubnetGroupName: string;
  DBSubnetGroupDescription: string;
  VpcId: string;
  SubnetGroupStatus: string;
  Subnets: Subnet[];
  DBSubnetGroupArn: string;
  IsDefault: boolean;
}

const TABLE = "neptune.subnetGroups";

/** RDS's default quota: 50 DB subnet groups per account and region. */
const SUBNET_GROUP_QUOTA = 50;

export const DEFAULT_SUBNET_GROUP_NAME = "default";

const subnetGroupTable = (place: Place) => place.store.table<SubnetGroupRecord>(TABLE, place.accountId, place.region);

function newSubnetGroup(
  place: Place,
  group: Pick<SubnetGroupRecord, "DBSubnetGroupName" | "DBSubnetGroupDescription" | "Subnets" | "IsDefault">,
): SubnetGroupRecord {
  return {
    ...group,
    VpcId: defaultVpcId(place.accountId, place.region),
    SubnetGroupStatus: "Complete",
    DBSubnetGroupArn: rdsArn(place.region, place.accountId, "subgrp", group.DBSubnetGroupName),
  };
}

function defaultSubnetGroup(place: Place): SubnetGroupRecord {
  return newSubnetGroup(place, {
    DBSubnetGroupName: DEFAULT_SUBNET_GROUP_NAME,
    DBSubnetGroupDescription: "default",
    Subnets: defaultVpcSubnets(place.accountId, place.region),
    IsDefault: true,
  });
}

/** The DB subnet group `name` (case-insensitive; `default` included), or undefined. */
export function findSubnetGroup(place: Place, name: string): SubnetGroupRecord | undefined {
  const key = name.toLowerCase();
  if (key === DEFAULT_SUBNET_GROUP_NAME) return defaultSubnetGroup(place);
  return subnetGroupTable(place).get(key);
}

export function subnetGroupNotFound(name: string): AwsError {
  // *Decided* wording after RDS's "DB subnet group 'x' does not exist." seen in client errors.
  return neptuneFault("DBSubnetGroupNotFoundFault", `DB subnet group '${name}' does not exist.`);
}

/** The subnet group a new cluster uses: the given one, which must exist, or the account's `default`. */
export function subnetGroupFor(place: Place, name: string | undefined): SubnetGroupRecord {
  const group = findSubnetGroup(place, name ?? DEFAULT_SUBNET_GROUP_NAME);
  if (!group) throw subnetGroupNotFound(name ?? DEFAULT_SUBNET_GROUP_NAME);
  return group;
}

/** As AWS shows a subnet group, also inside DescribeDBInstances' `DBSubnetGroup`. */
export function subnetGroupShape(group: SubnetGroupRecord): DBSubnetGroup {
  return {
    DBSubnetGroupName: group.DBSubnetGroupName,
    DBSubnetGroupDescription: group.DBSubnetGroupDescription,
    VpcId: group.VpcId,
    SubnetGroupStatus: group.SubnetGroupStatus,
    Subnets: group.Subnets.map((subnet) => ({
      ...subnet,
      SubnetAvailabilityZone: { ...subnet.SubnetAvailabilityZone },
    })),
    DBSubnetGroupArn: group.DBSubnetGroupArn,
  };
}

/** RDS: subnet group names are up to 255 letters, digits, periods, underscores, spaces or hyphens. */
function checkSubnetGroupName(name: string): string {
  if (name.length === 0)
    throw CommonErrors.invalidParameterValue("The parameter DBSubnetGroupName must be provided and must not be blank.");
  if (name.length > 255 || !/^[a-zA-Z0-9._ -]+$/.test(name)) {
    throw CommonErrors.invalidParameterValue(
      "The parameter DBSubnetGroupName is not a valid identifier. It must contain no more than 255 letters, numbers, periods, underscores, spaces, or hyphens.",
    );
  }
  return name.toLowerCase();
}

/** The caller's group named by name or ARN (another account's ARN is not found, like a missing group). */
function existingSubnetGroup(place: Place, given: string): SubnetGroupRecord {
  const name = ownName(given, "subgrp", place);
  const group = name === undefined ? undefined : findSubnetGroup(place, name);
  if (!group) throw subnetGroupNotFound(given);
  return group;
}

/**
 * The subnets of a subnet group, checked as RDS checks them: at least one, all known (only the default VPC's
 * subnets exist here), and covering at least two Availability Zones.
 */
function subnetsFor(place: Place, subnetIds: string[]): Subnet[] {
  if (subnetIds.length === 0) throw neptuneFault("InvalidSubnet", "Subnet IDs are required.");
  const known = defaultVpcSubnets(place.accountId, place.region);
  const unknown = subnetIds.filter((id) => !known.some((subnet) => subnet.SubnetIdentifier === id));
  if (unknown.length > 0)
    throw neptuneFault("InvalidSubnet", `Some input subnets in :[${unknown.join(", ")}] are invalid.`);
  const chosen = known.filter((subnet) => subnetIds.includes(subnet.SubnetIdentifier!));
  const zones = [...new Set(chosen.map((subnet) => subnet.SubnetAvailabilityZone!.Name!))];
  if (zones.length < 2) {
    throw neptuneFault(
      "DBSubnetGroupDoesNotCoverEnoughAZs",
      `The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ coverage: ${zones.join(", ")}. Add subnets to cover at least 2 AZs.`,
    );
  }
  return chosen;
}

/** CreateDBSubnetGroup, ModifyDBSubnetGroup, DeleteDBSubnetGroup and DescribeDBSubnetGroups, wire message to wire message. */
export const subnetGroups = {
  create: (place: Place, r: CreateDBSubnetGroupMessage) => {
    const name = checkSubnetGroupName(r.DBSubnetGroupName);
    if (findSubnetGroup(place, name)) {
      throw neptuneFault("DBSubnetGroupAlreadyExistsFault", `The DB subnet group '${name}' already exists.`);
    }
    const table = subnetGroupTable(place);
    if (table.size >= SUBNET_GROUP_QUOTA) {
      throw neptuneFault(
        "DBSubnetGroupQuotaExceededFault",
        "The request cannot be processed because it would exceed the maximum number of DB subnet groups.",
      );
    }
    const Subnets = subnetsFor(place, r.SubnetIds);
    if (r.Tags) validateTags(r.Tags);
    const group = newSubnetGroup(place, {
      DBSubnetGroupName: name,
      DBSubnetGroupDescription: r.DBSubnetGroupDescription,
      Subnets,
      IsDefault: false,
    });
    table.put(name, group);
    if (r.Tags?.length) setTags(place.store, place.accountId, place.region, group.DBSubnetGroupArn, r.Tags);
    return { DBSubnetGroup: subnetGroupShape(group) };
  },

  modify: (place: Place, r: ModifyDBSubnetGroupMessage) => {
    const group = existingSubnetGroup(place, r.DBSubnetGroupName);
    // *Decided*: the implicit default group is AWS-managed here and can't be changed.
    if (group.IsDefault) throw CommonErrors.invalidParameterValue("Cannot modify the default DB subnet group.");
    const updated: SubnetGroupRecord = {
      ...group,
      Subnets: subnetsFor(place, r.SubnetIds),
      DBSubnetGroupDescription: r.DBSubnetGroupDescription ?? group.DBSubnetGroupDescription,
    };
    subnetGroupTable(place).put(updated.DBSubnetGroupName, updated);
    return { DBSubnetGroup: subnetGroupShape(updated) };
  },

  delete: (place: Place, r: DeleteDBSubnetGroupMessage): void => {
    const group = existingSubnetGroup(place, r.DBSubnetGroupName);
    const name = group.DBSubnetGroupName;
    if (group.IsDefault)
      throw neptuneFault("InvalidDBSubnetGroupStateFault", "Cannot delete the default DB subnet group.");
    // Observed RDS wording: "Cannot delete the subnet group 'x' because at least one database instance: y is still
    // using it." Neptune instances live in their cluster's subnet group, so the cluster is named.
    const cluster = clusterTable(place.store, place.accountId, place.region)
      .values()
      .find((c) => c.DBSubnetGroup.toLowerCase() === name);
    if (cluster) {
      throw neptuneFault(
        "InvalidDBSubnetGroupStateFault",
        `Cannot delete the subnet group '${name}' because at least one database cluster: ${cluster.DBClusterIdentifier} is still using it.`,
      );
    }
    subnetGroupTable(place).delete(name);
    deleteAllTags(place.store, place.accountId, place.region, group.DBSubnetGroupArn);
  },

  describe: (place: Place, r: DescribeDBSubnetGroupsMessage) => {
    const groups =
      r.DBSubnetGroupName !== undefined
        ? [existingSubnetGroup(place, r.DBSubnetGroupName)]
        : [defaultSubnetGroup(place), ...subnetGroupTable(place).values()].sort((x, y) =>
            x.DBSubnetGroupName.localeCompare(y.DBSubnetGroupName),
          );
    refuseFilters(r.Filters);
    return listPage("DBSubnetGroups", groups, r, subnetGroupShape);
  },
};
