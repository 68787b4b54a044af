"""Notes."""

import os
