package dev.bastion.bench.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.inspect.EntityTagger;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Trains the token tagger that the gazetteer recognizer stacks on its rules, from presidio-style JSON sets that we
 * generate ourselves (bench/scripts/make_pii_devset*.py: presidio_templates.txt filled with our own fake values).
 * Never give it the evaluation set.
 *
 * <pre>java -cp bench/target/bastion-bench.jar dev.bastion.bench.inspect.EntityTaggerTrain OUT.bin.gz EPOCHS train1.json [train2.json …]</pre>
 */
public final class EntityTaggerTrain {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int epochs = Integer.parseInt(args[1]);
        List<EntityTagger.Example> data = new ArrayList<>();
        for (int a = 2; a < args.length; a++) data.addAll(read(Path.of(args[a])));
        System.out.println("examples " + data.size());
        EntityTagger m = EntityTagger.train(data, epochs, 20261126L);
        try (OutputStream os = Files.newOutputStream(out)) {
            m.write(os);
        }
        System.out.println("model -> " + out + " (" + Files.size(out) + " bytes)");
    }

    static List<EntityTagger.Example> read(Path file) throws Exception {
        List<EntityTagger.Example> out = new ArrayList<>();
        for (JsonNode sample : new ObjectMapper().readTree(Files.readString(file))) {
            String text = sample.get("full_text").asText();
            int[] chars = new int[text.length()];
            for (JsonNode sp : sample.get("spans")) {
                int label = EntityTagger.labelOfGold(sp.get("entity_type").asText());
                int from = sp.get("start_position").asInt(), to = Math.min(text.length(), sp.get("end_position").asInt());
                Arrays.fill(chars, from, Math.max(from, to), label);
            }
            out.add(new EntityTagger.Example(text, EntityTagger.goldPerToken(text, chars)));
        }
        return out;
    }
}
