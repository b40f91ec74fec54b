package dev.bastion.inspect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Known answers per entity type: what must be found (with exact offsets) and near misses that must not. */
class DetectorsTest {
    private static final Inspector INSPECTOR = Inspector.builder().injection(false).budget(java.time.Duration.ofSeconds(10), java.time.Duration.ZERO).build(); // detection, not budgets, is tested here

    static List<Finding> find(String text) {
        return ((Inspection.Found) INSPECTOR.inspect(text)).findings();
    }

    /** The substring of the single finding of {@code type}, or null. */
    static String only(String text, EntityType type) {
        List<Finding> fs = find(text).stream().filter(f -> f.type() == type && f.score() >= 0.5).toList();
        assertThat(fs).as("findings of %s in %s", type, text).hasSizeLessThanOrEqualTo(1);
        return fs.isEmpty() ? null : text.substring(fs.getFirst().start(), fs.getFirst().end());
    }

    @ParameterizedTest(name = "{0} finds {2}")
    @CsvSource(delimiter = '|', value = {
            "EMAIL_ADDRESS|Write to jane.doe+tag@mail.example.co.uk today.|jane.doe+tag@mail.example.co.uk",
            "PHONE_NUMBER|Call me at +44 20 7946 0958 tomorrow|+44 20 7946 0958",
            "PHONE_NUMBER|My number is (650) 253-0000.|(650) 253-0000",
            "FAX_NUMBER|Fax: +1 212-555-0187|+1 212-555-0187",
            "PHONE_NUMBER|Phone: (0116)-413334|(0116)-413334",
            "PHONE_NUMBER|Fax lines busy, call (+358) 213463204 instead|(+358) 213463204",
            "PHONE_NUMBER|call me at 650 253 0000 I'd like to join|650 253 0000",
            "US_SSN|His social security number is 078-05-1121|078-05-1121",
            "CREDIT_CARD|card 4111 1111 1111 1111 expires|4111 1111 1111 1111",
            "CREDIT_CARD|amex 378282246310005.|378282246310005",
            "IBAN_CODE|IBAN: GB82 WEST 1234 5698 7654 32 please|GB82 WEST 1234 5698 7654 32",
            "IBAN_CODE|to de89370400440532013000 now|de89370400440532013000",
            "IP_ADDRESS|server 192.168.10.254 is down|192.168.10.254",
            "IP_ADDRESS|via 2001:db8::8a2e:370:7334, retry|2001:db8::8a2e:370:7334",
            "URL|see https://intranet.example.com/a?b=c).|https://intranet.example.com/a?b=c",
            "SECRET|key AKIAIOSFODNN7EXAMPLE here|AKIAIOSFODNN7EXAMPLE",
            "SECRET|token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 ok|ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
            "SECRET|DB_PASSWORD=s3cr3t-Pa55 next|s3cr3t-Pa55",
            "SECRET|{\"api_key\": \"abcd1234efgh5678\"}|abcd1234efgh5678",
            "SECRET|Authorization: Bearer abc123def456ghi789jkl|abc123def456ghi789jkl",
            "SECRET|postgres://admin:hunter22@db.internal:5432/x|hunter22",
            "DATE_OF_BIRTH|She was born on March 5, 1961 in Ohio|March 5, 1961",
            "DATE|On 2018-02-24 12:45:18, the meeting started|2018-02-24 12:45:18",
            "AGE|Patient is a 65-year-old male|65",
            "AGE|My father retired at the age of 67|67",
            "ZIP_CODE|My zip code is 94105-1234|94105-1234",
            "MEDICAL_RECORD_NUMBER|MRN: 00123456 admitted|00123456",
            "HEALTH_PLAN_ID|Member ID: XG4412345678 on file|XG4412345678",
            "US_DRIVER_LICENSE|My driver's license number is F162823540116|F162823540116",
            "US_PASSPORT|passport number 912803456 issued|912803456",
            "ACCOUNT_NUMBER|account number 0012-3456-7890 closed|0012-3456-7890",
            "VEHICLE_ID|VIN 1M8GDM9AXKP042788 registered|1M8GDM9AXKP042788",
            "DEVICE_ID|mac 00:1A:2B:3C:4D:5E seen|00:1A:2B:3C:4D:5E",
            "PERSON|My name is Vanessa P. Hertzog and I|Vanessa P. Hertzog",
            "PERSON|Please ask Mr. Ferko Takáts to call|Ferko Takáts",
            "LOCATION|I will be travelling to New Zealand next week|New Zealand",
            "ORGANIZATION|She works for Acme Software Inc in town|Acme Software Inc",
            "STREET_ADDRESS|Send it to 11 Botley Road, please|11 Botley Road",
    })
    void findsEntity(EntityType type, String text, String expected) {
        assertThat(only(text, type)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ignores: {1}")
    @CsvSource(delimiter = '|', value = {
            "CREDIT_CARD|order 4111 1111 1111 1112 shipped",
            "US_SSN|ticket 666-12-3456 and 000-12-3456 and 900-12-3456",
            "IBAN_CODE|GB82 WEST 1234 5698 7654 33 (bad check digits)",
            "IP_ADDRESS|version 1.2.3.400 and 12:45:18",
            "EMAIL_ADDRESS|the @ sign and user@localhost",
            "SECRET|password: ******** and token = ${TOKEN}",
            "AGE|I waited 45 minutes",
            "PHONE_NUMBER|released 2018-02-24 and 192.168.1.20",
            "PHONE_NUMBER|Mrs. Helmi Marková Suite 958 078 9582 Za Stadionem",
            "PHONE_NUMBER|Billing address: 4860 6548 Fabriksstigen Suite 556",
    })
    void ignoresNearMiss(EntityType type, String text) {
        assertThat(only(text, type)).isNull();
    }

    @Test
    void privateKeyBlockIsOneSecretFromBeginToEnd() {
        String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
                + "-----END RSA PRIVATE KEY-----";
        String text = "here: " + pem + " done";
        assertThat(only(text, EntityType.SECRET)).isEqualTo(pem);
    }

    @Test
    void jwtIsASecret() {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        assertThat(only("auth " + jwt + " end", EntityType.SECRET)).isEqualTo(jwt);
    }

    @Test
    void findingsAreOrderedAndDoNotOverlap() {
        String text = "Jane Doe (jane@example.com, 555-867-5309, SSN 078-05-1121) lives at 11 Botley Road, London.";
        List<Finding> fs = find(text);
        assertThat(fs).isNotEmpty();
        for (int i = 1; i < fs.size(); i++) assertThat(fs.get(i).start()).isGreaterThanOrEqualTo(fs.get(i - 1).end());
    }

    @Test
    void ordinaryProseHasNoFindings() {
        String text = "Please summarise the attached quarterly report and list three risks. Use short sentences, "
                + "and answer in English. How do I change the billing date of my card?";
        assertThat(find(text).stream().filter(f -> f.score() >= 0.5)).isEmpty();
    }
}
