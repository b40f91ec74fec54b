package dev.bastion.encoder.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tiny ONNX models and word-level tokenizers written at test time (no weights can be downloaded): the ONNX protobuf
 * is encoded by hand, field numbers from onnx.proto. Each model looks a token's row up in a table:
 * <ul>
 *   <li>{@link #sequenceClassifier}: logits = mean over tokens of the table rows → [1, labels];</li>
 *   <li>{@link #tokenClassifier}: logits = the rows → [1, tokens, labels];</li>
 *   <li>{@link #sentenceEncoder}: last_hidden_state = the rows → [1, tokens, dim].</li>
 * </ul>
 * Row 0 is [UNK], 1 [CLS], 2 [SEP]; words follow in {@link #tokenizer} order from id 3.
 */
public final class TinyOnnx {
    private TinyOnnx() {}

    public static byte[] sequenceClassifier(float[][] table) {
        return model(table, "logits", true, List.of("input_ids", "attention_mask"));
    }

    public static byte[] tokenClassifier(float[][] table) {
        return model(table, "logits", false, List.of("input_ids", "attention_mask", "token_type_ids"));
    }

    public static byte[] sentenceEncoder(float[][] table) {
        return model(table, "last_hidden_state", false, List.of("input_ids", "attention_mask", "token_type_ids"));
    }

    /** A WordLevel tokenizer.json: lower-cased, split on whitespace and punctuation, [CLS] … [SEP]. */
    public static String tokenizer(List<String> words) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        vocab.put("[UNK]", 0);
        vocab.put("[CLS]", 1);
        vocab.put("[SEP]", 2);
        for (String w : words) vocab.putIfAbsent(w, vocab.size());
        StringBuilder v = new StringBuilder();
        vocab.forEach((k, id) -> v.append(v.isEmpty() ? "" : ",").append('"').append(k).append("\":").append(id));
        String special = """
                {"id":%d,"content":"%s","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}""";
        return """
                {"version":"1.0","truncation":null,"padding":null,
                 "added_tokens":[%s,%s,%s],
                 "normalizer":{"type":"Lowercase"},
                 "pre_tokenizer":{"type":"Whitespace"},
                 "post_processor":{"type":"BertProcessing","sep":["[SEP]",2],"cls":["[CLS]",1]},
                 "decoder":null,
                 "model":{"type":"WordLevel","vocab":{%s},"unk_token":"[UNK]"}}
                """.formatted(special.formatted(0, "[UNK]"), special.formatted(1, "[CLS]"), special.formatted(2, "[SEP]"), v);
    }

    private static byte[] model(float[][] table, String output, boolean mean, List<String> inputs) {
        int rows = table.length, cols = table[0].length;
        ByteBuffer raw = ByteBuffer.allocate(rows * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] r : table) for (float f : r) raw.putFloat(f);
        Pb init = new Pb().varint(1, rows).varint(1, cols).varint(2, 1).string(8, "table").bytes(9, raw.array());
        Pb graph = new Pb();
        String gathered = mean ? "rows" : output;
        graph.msg(1, new Pb().string(1, "table").string(1, "input_ids").string(2, gathered).string(3, "gather").string(4, "Gather"));
        if (mean) {
            Pb axes = new Pb().string(1, "axes").varint(8, 1).varint(20, 7);
            Pb keep = new Pb().string(1, "keepdims").varint(3, 0).varint(20, 2);
            graph.msg(1, new Pb().string(1, "rows").string(2, output).string(3, "mean").string(4, "ReduceMean").msg(5, axes).msg(5, keep));
        }
        graph.string(2, "tiny").msg(5, init);
        for (String in : inputs) graph.msg(11, valueInfo(in, 7, "batch", "tokens"));
        graph.msg(12, mean ? valueInfo(output, 1, "batch", "labels") : valueInfo(output, 1, "batch", "tokens", "labels"));
        return new Pb().varint(1, 7).string(2, "bastion-test").msg(7, graph)
                .msg(8, new Pb().string(1, "").varint(2, 13)).toByteArray();
    }

    private static Pb valueInfo(String name, int elemType, String... dims) {
        Pb shape = new Pb();
        for (String d : dims) shape.msg(1, new Pb().string(2, d));
        return new Pb().string(1, name).msg(2, new Pb().msg(1, new Pb().varint(1, elemType).msg(2, shape)));
    }

    /** Just enough of the protobuf wire format. */
    private static final class Pb {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pb varint(int field, long v) {
            tag(field, 0);
            raw(v);
            return this;
        }

        Pb string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Pb bytes(int field, byte[] b) {
            tag(field, 2);
            raw(b.length);
            out.writeBytes(b);
            return this;
        }

        Pb msg(int field, Pb m) {
            return bytes(field, m.toByteArray());
        }

        byte[] toByteArray() { return out.toByteArray(); }

        private void tag(int field, int wire) {
            raw(((long) field << 3) | wire);
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
