package dev.cirrus.placement.allocation;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.stereotype.Component;

/**
 * One engine per database: the engine's state in memory is authoritative, so a second engine on the same database
 * would decide without seeing the first one's allocations. Before it loads its state, an engine takes a
 * session-level PostgreSQL advisory lock on a connection it keeps for its whole life; a second engine cannot, and
 * refuses to start (or, after a database restart that freed the lock, to decide). The lock goes with the
 * connection: when the engine stops or dies, the next one may take it.
 */
@Component
class DatabaseOwnership {

    /** The advisory lock's key ("placement engine owner"); the plumbing's relay uses 7311000001. */
    static final long LOCK = 7311000401L;

    private static final Logger log = LoggerFactory.getLogger(DatabaseOwnership.class);

    private final DataSource dataSource;
    /** Guarded by the caller (Placements' decision lock, or its lifecycle). */
    private Connection held;

    DatabaseOwnership(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Makes sure this engine holds the lock (again, if the database restarted since).
     *
     * @throws TransientDataAccessResourceException when another engine holds it
     * @throws DataAccessResourceFailureException   when the database cannot be reached
     */
    void ensure() {
        try {
            if (held != null && held.isValid(2)) {
                return;
            }
            release();
            Connection c = dataSource.getConnection();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select pg_try_advisory_lock(" + LOCK + ")")) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    c.close();
                    throw new TransientDataAccessResourceException("another placement engine is using this database "
                            + "(it holds PostgreSQL advisory lock " + LOCK + "): one engine per database");
                }
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            held = c;
            log.info("this engine owns its database (advisory lock {})", LOCK);
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("cannot take the engine's database lock: " + e.getMessage(),
                    e);
        }
    }

    /** Gives the lock up (closing its connection). */
    void release() {
        if (held == null) {
            return;
        }
        try {
            held.close();
        } catch (SQLException e) {
            log.debug("closing the lock's connection failed (it is gone anyway): {}", e.getMessage());
        }
        held = null;
    }
}
