package org.heard.bench;

import java.util.List;
import java.util.Random;

/**
 * Resident-style comments for benchmarks, built from templates (topic, place, time, ask), so a
 * run can make as many as it needs without real data. Seeded: the same seed, the same comments.
 */
final class SyntheticComments {
  private static final List<List<String>> TOPICS = List.of(
      List.of("the street lights are broken", "it is too dark to walk home", "the lamp posts have not worked for weeks"),
      List.of("cars are speeding", "drivers go far too fast", "boy racers use it as a race track"),
      List.of("people are dealing drugs", "there is open drug dealing", "needles are left on the ground"),
      List.of("rubbish is dumped", "fly-tipping is getting worse", "litter and overflowing bins attract rats"),
      List.of("teenagers gather and shout", "groups of youths intimidate people", "there is nothing for young people to do"),
      List.of("we never see a police officer", "more police patrols are needed", "the PCSO stopped coming round"),
      List.of("dogs foul the pavement", "dog mess is everywhere", "owners let dogs off the lead"),
      List.of("bikes get stolen", "cars are broken into", "sheds are burgled at night"),
      List.of("there is graffiti on every wall", "vandals smashed the bus shelter", "windows get broken"),
      List.of("people drink in the street", "drunk people fight outside the pub", "street drinkers leave cans"),
      List.of("neighbours play loud music", "parties go on all night", "the noise keeps my children awake"),
      List.of("cars park on the pavement", "vans block the dropped kerb", "parking outside the school is dangerous"));
  private static final List<String> PLACES = List.of("on our road", "by the park", "near the school", "behind the shops",
      "on the estate", "along the canal path", "outside the station", "in the alley", "by the bus stop", "near the flats");
  private static final List<String> TIMES = List.of("every night", "at weekends", "in the evenings", "most days",
      "after dark", "since the summer", "all the time", "late at night");
  private static final List<String> ASKS = List.of("Please do something.", "It makes me feel unsafe.",
      "Nobody listens when we report it.", "It has been like this for months.", "Can the council sort it out?", "");

  private final Random random;

  SyntheticComments(long seed) {
    random = new Random(seed);
  }

  /** The next comment and its topic number. */
  String[] next() {
    int topic = random.nextInt(TOPICS.size());
    String body = pick(TOPICS.get(topic)) + " " + pick(PLACES) + " " + pick(TIMES) + ". " + pick(ASKS);
    return new String[] {Character.toUpperCase(body.charAt(0)) + body.substring(1).strip(), String.valueOf(topic)};
  }

  private String pick(List<String> options) {
    return options.get(random.nextInt(options.size()));
  }
}
