#!/bin/sh
# The wrapper mount(8) runs for a mount whose geesefs needs an environment of its own (Azure: the
# account key is read only from the environment or from $AZURE_CONFIG_DIR/config): fstab can set
# none. The environment is set above (inherited variables dropped, the mount's own exported); this
# hands over to skymount's mount helper, so boot and `mount -a` mount each bucket with its own keys.

# Given: helper, the mount helper.
: "${helper?}"
exec "$helper" "$@"
