// A shell command's output for the machine line of a report (versions, commit), or null when it fails.
import { execSync } from 'node:child_process';

export function sh(cmd) {
  try {
    return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
