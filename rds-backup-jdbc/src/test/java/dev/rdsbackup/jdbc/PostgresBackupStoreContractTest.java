package dev.rdsbackup.jdbc;

import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.testkit.contract.BackupStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("JdbcBackupStore on embedded PostgreSQL")
class PostgresBackupStoreContractTest extends BackupStoreContract {
    @Override
    protected BackupStore createStore() {
        return TestDatabases.sharedStore(TestDatabases.Kind.POSTGRESQL);
    }
}
