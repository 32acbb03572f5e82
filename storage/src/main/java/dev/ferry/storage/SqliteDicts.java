package dev.ferry.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Dict operations of the embedded store: rows of {@code dict_entries (obj, k, v)}, ordered by key bytes. */
final class SqliteDicts {
    private final SqliteDb db;

    SqliteDicts(SqliteDb db) {
        this.db = db;
    }

    byte[] dictGet(String dict, byte[] key) {
        return db.readTx(() -> {
            PreparedStatement p = db.ps("SELECT v FROM dict_entries WHERE obj = ? AND k = ?");
            p.setLong(1, db.id(Store.Kind.DICT, dict));
            p.setBytes(2, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        });
    }

    boolean dictContains(String dict, byte[] key) {
        return db.readTx(() -> {
            PreparedStatement p = db.ps("SELECT 1 FROM dict_entries WHERE obj = ? AND k = ?");
            p.setLong(1, db.id(Store.Kind.DICT, dict));
            p.setBytes(2, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        });
    }

    void dictPut(String dict, byte[] key, byte[] value) {
        dictPutAll(dict, List.of(new AbstractMap.SimpleImmutableEntry<>(key, value)));
    }

    boolean dictPutIfAbsent(String dict, byte[] key, byte[] value) {
        return db.writeTx(() -> {
            PreparedStatement p = db.ps("INSERT OR IGNORE INTO dict_entries (obj, k, v) VALUES (?, ?, ?)");
            p.setLong(1, db.id(Store.Kind.DICT, dict));
            p.setBytes(2, key);
            p.setBytes(3, value);
            return p.executeUpdate() == 1;
        });
    }

    void dictPutAll(String dict, List<Map.Entry<byte[], byte[]>> entries) {
        db.writeTx(() -> {
            long id = db.id(Store.Kind.DICT, dict);
            PreparedStatement p = db.ps("INSERT INTO dict_entries (obj, k, v) VALUES (?, ?, ?)"
                    + " ON CONFLICT (obj, k) DO UPDATE SET v = excluded.v");
            for (Map.Entry<byte[], byte[]> e : entries) {
                p.setLong(1, id);
                p.setBytes(2, e.getKey());
                p.setBytes(3, e.getValue());
                p.executeUpdate();
            }
            return null;
        });
    }

    byte[] dictRemove(String dict, byte[] key) {
        return db.writeTx(() -> {
            long id = db.id(Store.Kind.DICT, dict);
            PreparedStatement p = db.ps("SELECT v FROM dict_entries WHERE obj = ? AND k = ?");
            p.setLong(1, id);
            p.setBytes(2, key);
            byte[] old;
            try (ResultSet rs = p.executeQuery()) {
                old = rs.next() ? rs.getBytes(1) : null;
            }
            if (old != null) {
                PreparedStatement d = db.ps("DELETE FROM dict_entries WHERE obj = ? AND k = ?");
                d.setLong(1, id);
                d.setBytes(2, key);
                d.executeUpdate();
            }
            return old;
        });
    }

    long dictSize(String dict) {
        return db.readTx(() -> {
            PreparedStatement p = db.ps("SELECT count(*) FROM dict_entries WHERE obj = ?");
            p.setLong(1, db.id(Store.Kind.DICT, dict));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    List<Map.Entry<byte[], byte[]>> dictItems(String dict) {
        return db.readTx(() -> {
            PreparedStatement p = db.ps("SELECT k, v FROM dict_entries WHERE obj = ? ORDER BY k");
            p.setLong(1, db.id(Store.Kind.DICT, dict));
            List<Map.Entry<byte[], byte[]>> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new AbstractMap.SimpleImmutableEntry<>(rs.getBytes(1), rs.getBytes(2)));
                }
            }
            return out;
        });
    }

    void dictClear(String dict) {
        db.writeTx(() -> {
            PreparedStatement p = db.ps("DELETE FROM dict_entries WHERE obj = ?");
            p.setLong(1, db.id(Store.Kind.DICT, dict));
            p.executeUpdate();
            return null;
        });
    }
}
