from django.dispatch import Signal

# Sent inside the transaction of an edit that changed what an approval covers.
# kwargs: entri (locked), by, old_hash, new_hash. persetujuan voids its open round on it.
content_changed = Signal()
