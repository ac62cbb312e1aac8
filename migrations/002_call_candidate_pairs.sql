-- The ICE candidate pair each side of a call ended up using ("relay/host", "srflx/srflx", ...),
-- as the browser reports it at hangup: shows which calls needed the TURN relay.
ALTER TABLE calls
  ADD COLUMN IF NOT EXISTS caller_candidate_pair VARCHAR(32) CHARACTER SET ascii NULL,
  ADD COLUMN IF NOT EXISTS callee_candidate_pair VARCHAR(32) CHARACTER SET ascii NULL;
