package dev.bastion.audit;

import dev.bastion.testing.PlaintextSigningKeyStore;
import dev.bastion.store.Database;
import dev.bastion.store.StoreConfig;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A second Bastion process for {@link TwoProcessLedgerTest}: opens its own ledger on the same PostgreSQL database,
 * reports whether it is the integrator, appends when told to, and runs until killed or told to exit.
 * Protocol on stdin/stdout, one word per line.
 */
public final class SecondProcess {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        int count = Integer.parseInt(args[3]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Database db = Database.open(StoreConfig.postgres(url, user, new dev.bastion.common.Secret(password), 8));
             AuditLedger ledger = AuditLedger.open(db, AuditConfig.defaults(AuditLedgerTest.ORIGIN),
                     new PlaintextSigningKeyStore(db), Clock.systemUTC())) {
            System.out.println("READY " + ledger.integrateNow());
            System.out.flush();
            if (!"GO".equals(in.readLine())) return;
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Long>> fs = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    String id = "p2-" + i;
                    fs.add(pool.submit(() -> ledger.append(AuditEntryTest.request(id))));
                }
                for (Future<Long> f : fs) f.get();
            }
            System.out.println("APPENDED");
            System.out.flush();
            in.readLine(); // wait to be killed (or told to exit)
        }
    }
}
