-- Merge suggestions look identities up by address across channels.
CREATE INDEX identities_address ON identities(address);
