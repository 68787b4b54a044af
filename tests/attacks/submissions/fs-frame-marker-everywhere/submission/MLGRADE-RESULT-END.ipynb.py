"""More notes."""

import sys
