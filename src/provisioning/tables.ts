import type { ColumnType, Generated } from 'kysely';

/**
 * One unit's provisioning: the SIP device credentials it was given for its subscriber's number and
 * the hash of its fetch secret. A swap or return ends the row (unassigned_at) and revokes the device.
 */
export interface TerminalProvisioningTable {
  id: string;
  /** The inventory unit (its id in the terminals module). */
  unit_id: string;
  /** Twelve lowercase hex digits, no separators. */
  mac: string;
  serial: string | null;
  number: string;
  device_id: string;
  sip_username: string;
  /** The device's SIP password, sealed with the field cipher: the configuration hands it to the unit. */
  sip_password_sealed: string;
  /** SHA-256 (hex) of the 256-bit fetch secret; the secret itself is shown once. */
  secret_sha256: string;
  secret_issued_at: Date;
  assigned_at: ColumnType<Date, Date, never>;
  unassigned_at: Date | null;
  last_fetch_at: Date | null;
}

/** Every configuration fetch, served or refused: who asked (address, User-Agent), for which MAC, and the outcome. */
export interface ProvisioningFetchesTable {
  id: Generated<string>;
  at: Date;
  provisioning_id: string | null;
  mac: string;
  source_ip: string;
  user_agent: string | null;
  format: 'linphone-xml' | 'json';
  outcome: 'served' | 'denied' | 'rate-limited';
}

export interface ProvisioningTables {
  terminal_provisioning: TerminalProvisioningTable;
  provisioning_fetches: ProvisioningFetchesTable;
}
