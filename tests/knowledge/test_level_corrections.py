"""Level rules a MED secretary corrected against the seeds; each test quotes its passage."""

from __future__ import annotations

import pytest

from dialogs.texts import level_answer
from knowledge.levels import answer_fields, decide_level
from knowledge.profiles import Profile, load_profile


@pytest.fixture(scope="module")
def albertslund() -> Profile:
    return load_profile("albertslund")


@pytest.fixture(scope="module")
def jammerbugt() -> Profile:
    return load_profile("jammerbugt")


def test_jammerbugt_direktoer_and_afdelingschef_are_asked_about(jammerbugt: Profile) -> None:
    """003 (Direktionen, 12 January 2021): "Den enkelte direktør udpeger deltagere fra eget
    områder" – several direktører, each with an area; 000 names no afdelingschef. The seeds
    give no mapping from these titles to HovedMED or ForvaltningsMED, so the bot asks."""
    for case in ("direktøren vil lukke køkkenet", "afdelingschefen vil flytte os til et andet hus"):
        decision = decide_level(case, jammerbugt)
        assert decision.level == "ask", case
    assert decide_level("nye åbningstider", jammerbugt, decider="direktøren").level == "ask"
    # The kommunaldirektør and the direktion are the top of the municipality in both.
    assert decide_level("kommunaldirektøren vil lukke køkkenet", jammerbugt).level == "top"
    # A leader tied to a named forvaltning leads that forvaltning (its committee is that forvaltning's ForvaltningsMED, 000).
    assert decide_level("forvaltningschefen i SSB vil flytte visitationen", jammerbugt).level == "middle"


def test_political_case_is_not_automatically_top(albertslund: Profile) -> None:
    """002 (lokalaftalen § 2, stk. 3): "Det rette MED-udvalg er det udvalg, hvor der er en leder
    med kompetence til at træffe en beslutning om sagen, eller hvor der er en leder med
    kompetence til at indstille sagen til beslutning (på politisk niveau)". 004 shows it for the
    budget: "indstilles til politisk beslutning i Kommunalbestyrelsen af Kommunaldirektøren"."""
    decision = decide_level("fagudvalget skal beslutte om vores klub skal lukkes", albertslund)
    assert decision.level == "ask" and decision.reason_facts["political_only"]
    text = level_answer(**answer_fields(decision, albertslund))
    assert "Politikerne er ikke et MED-niveau" in text
    recommended = decide_level("Afdelingschefen vil indstille til fagudvalget at lukke klubben", albertslund)
    assert recommended.level == "middle"
    budget = decide_level("budgetforslaget for næste år, hvor skal det MED-behandles", albertslund)
    assert (budget.level, budget.rule) == ("top", "process_budget_proposal")


def test_min_chef_and_a_leader_who_passes_news_on_lead_to_the_question(albertslund: Profile) -> None:
    """002 diagram "MED-niveauerne matcher ledelsesniveauerne": "Det rette niveau defineres ud
    fra, hvem der træffer en beslutning". A bare "chef" is no level, and a leader who only tells
    the news ("min leder har fortalt, at …") is not the one who decided."""
    for case in (
        "min chef vil ændre vores mødestruktur",
        "min leder har fortalt at der kommer nye åbningstider",
        "vores leder sagde at det er besluttet et andet sted at vi skal flytte",
    ):
        assert decide_level(case, albertslund).level == "ask", case
    assert decide_level("min leder vil ændre vores mødestruktur", albertslund).level == "local"


def test_politik_is_not_always_medbestemmelse_and_loenpolitik_is_not_a_union_matter(albertslund: Profile) -> None:
    """002 "Medindflydelse og Medbestemmelse": "Når parterne i et MED-udvalg indgår aftale om en
    retningslinje, taler vi om medbestemmelse" – a policy is not by itself a retningslinje.
    002 "Hvilke sager skal i MED" excludes what is agreed with the organisations, "fx løn,
    arbejdstid, seniortillæg"; "Procedureretningslinjer" names "Kommunens personalepolitik"."""
    assert decide_level("skolelederen vil lave en ny politik for mobiltelefoner", albertslund).mode != "medbestemmelse"
    assert decide_level("skolelederen vil lave en ny retningslinje for mobiltelefoner", albertslund).mode == "medbestemmelse"
    assert decide_level("vi skal have en ny lønpolitik", albertslund).level != "not_med"
    assert decide_level("jeg vil have mere i løn", albertslund).level == "not_med"


def test_task_and_scope_settle_the_level(albertslund: Profile, jammerbugt: Profile) -> None:
    """002 "KommuneMED": "Fortolke den lokale MED-aftale", "Tilpasse MED-strukturen"; "Skal-
    retningslinjer – KommuneMED": trivselsmåling, sygefraværssamtaler; "ArbejdspladsMED (2)":
    "Planlægge og koordinere arbejdet med APV". 000: "ForvaltningsMED's tværgående idéer [sendes]
    til HovedMED"; "Den årlige evaluering af budgetproceduren i Hoved-MED"."""
    assert decide_level("vi er uenige om hvordan lokalaftalen skal fortolkes", albertslund).level == "top"
    assert decide_level("retningslinjer for trivselsmåling", albertslund).level == "top"
    assert decide_level("apv handleplan på vores arbejdsplads", albertslund).level == "local"
    assert decide_level("ny procedure der skal gælde for hele kommunen", albertslund).level == "top"
    assert decide_level("forvaltningsMED har en tværgående idé, hvor skal den hen", jammerbugt).level == "top"
    assert decide_level("evaluering af budgetproceduren", jammerbugt).level == "top"
    # Processes of one municipality never decide a case in the other.
    assert decide_level("evaluering af budgetproceduren", albertslund).rule != "process_budget_evaluation"
    # Who is affected is not a scope (002 § 2, stk. 3).
    assert decide_level("det rammer hele kommunen", albertslund).level == "ask"


def test_harassment_is_a_personal_matter_for_leader_amr_and_tr(albertslund: Profile) -> None:
    """002 "Hvilke sager skal i MED": MED-udvalgene kan ikke behandle personalesager; "Trio'en":
    leder, AMR og TR; "ArbejdspladsMED (2)": "Aftale lokale retningslinjer for vold-mobning-chikane"."""
    decision = decide_level("en kollega chikanerer mig", albertslund)
    assert (decision.level, decision.rule) == ("not_med", "not_med_personal_conflict")
    text = level_answer(**answer_fields(decision, albertslund))
    assert "AMR" in text and "TR" in text and "leder" in text


def test_contacts_and_phases_say_which_document_they_come_from(jammerbugt: Profile) -> None:
    """000 is "Bilag B – Drejebog for inddragelse af MED-systemet", dated 10 February 2023, for
    "budget 2024": its contact persons and phases belong to that year, so the bot says so."""
    from datetime import UTC, datetime

    from dialogs import texts
    from dialogs.reminder_messages import nudge_message
    from knowledge.calendar import CalendarEvent, EventKind, NudgeKind

    answer = level_answer(**answer_fields(decide_level("kommunaldirektøren vil lukke køkkenet", jammerbugt), jammerbugt))
    assert "Rikke Krogsgaard Eriksen" in answer and "drejebogen for budget 2024" in answer
    phase = CalendarEvent(
        uid="p", org="jammerbugt", title="Budgetproces", kind=EventKind.PHASE,
        starts_at=datetime(2027, 1, 1, tzinfo=UTC), source="Jammerbugt Kommune: Drejebog … budget 2024",
    )
    message = nudge_message(phase, NudgeKind.PHASE_START, datetime(2026, 12, 31, tzinfo=UTC))
    assert texts.NUDGE_PHASE_FROM_DOCUMENT in message.text and "budget 2024" in (message.source or "")


def test_the_idea_process_and_the_meeting_with_the_economy_committee(albertslund: Profile, jammerbugt: Profile) -> None:
    """000 (Procesbeskrivelse 'Den gode idé'): "'Den gode idé' starter med drøftelser i alle
    ForvaltningsMED i det tidligere forår" and "efterfølgende formandskabet fra ForvaltningsMED,
    der giver en tilbagemelding til alle relevante LokalMED"; 002 (KommuneMED's tasks): "Mødes med
    ØU ifm. budgetbehandlingen"; 002 (ArbejdspladsMED): "Sikre AMG's deltagelse og medvirken ved
    f.eks. ... ombygninger inden beslutning træffes"."""
    assert decide_level("hvor starter den gode ide i foraaret, hvilket med?", jammerbugt).level == "middle"
    feedback = decide_level("hvem giver lokalMED tilbagemelding paa ideerne til økonomiudvalget", jammerbugt)
    assert (feedback.level, feedback.rule) == ("middle", "process_idea_feedback")
    assert decide_level("hvilket med mødes med ØU om budgettet?", albertslund).level == "top"
    assert decide_level("vi skal bygge om i køkkenet, skal AMG med?", albertslund).level == "local"
    # the processes are Jammerbugt's and the ØU meeting Albertslund's: not the other's
    assert decide_level("hvem giver lokalMED tilbagemelding paa ideerne", albertslund).rule != "process_idea_feedback"
    assert decide_level("hvilket med mødes med ØU om budgettet?", jammerbugt).rule != "task_meet_economy_committee"


def test_a_bare_direktoer_is_asked_about_in_albertslund_too(albertslund: Profile) -> None:
    """002 ("MED-niveauerne matcher ledelsesniveauerne") draws "Direktør" beside KommuneMED by
    its layout only, and 004 names the kommunaldirektør as the one who recommends the budget:
    "indstilles til politisk beslutning i Kommunalbestyrelsen af Kommunaldirektøren". A bare
    "direktøren" may be any direktør, so the bot asks; the kommunaldirektør is KommuneMED."""
    assert decide_level("direktøren har besluttet at vi skal flytte til rådhuset", albertslund).level == "ask"
    assert decide_level("kommunaldirektøren har besluttet at vi skal flytte", albertslund).level == "top"
    assert decide_level("kommunal direktøren vil samle IT", albertslund).level == "top"


def test_the_direktoer_of_a_named_forvaltning_answers_the_middle_level(jammerbugt: Profile) -> None:
    """000 lists ForvaltningsMED per forvaltning (SSB, BFF, VUF, STABplus) and 003 gives each
    direktør "eget område": the direktør for SSB leads that forvaltning, whose committee is
    ForvaltningsMED SSB."""
    decision = decide_level(
        "chefen vil indfoere faste moededage", jammerbugt, "det er direktoren for SSB og det gaelder hele forvaltningen"
    )
    assert decision.level == "middle"


def test_a_pay_supplement_is_agreed_with_the_union(albertslund: Profile) -> None:
    """002: MED-udvalgene behandler ikke "forhold, der aftales med den enkelte
    forhandlingsberettigede organisation (fx løn, arbejdstid, seniortillæg)"."""
    assert decide_level("vi vil have et tillaeg for de ekstra opgaver", albertslund).level == "not_med"
    assert decide_level("i tillæg til det nye system vil lederen ændre mødetiderne", albertslund).level != "not_med"


def test_a_staff_members_own_cross_cutting_idea_goes_to_forvaltningsmed(jammerbugt: Profile) -> None:
    """000 (Procesbeskrivelse 'Den gode idé'): ideas go to the ForvaltningsMED contact persons;
    "Efterfølgende sendes ForvaltningsMED's tværgående idéer til HovedMED"."""
    mine = "jeg har en god ide til at spare paa tvaers af plejecentre og hjemmeplejen. hvor skal jeg sende den hen?"
    assert decide_level(mine, jammerbugt).level == "middle"
    assert decide_level("hvor sender forvaltningsMED de tvaergaaende ideer videre hen", jammerbugt).level == "top"


def test_the_budget_frame_and_med_involvement_are_hovedmeds(jammerbugt: Profile) -> None:
    """000 (Budgetproces – januar – marts): "HovedMED orienteres om den overordnede budgetproces og
    rammerne for budgetlægningen og drøfter MED-inddragelse i processen"."""
    decision = decide_level("hvem skal orienteres om rammerne for budgetlaegningen i starten af aaret", jammerbugt)
    assert (decision.level, decision.rule) == ("top", "process_budget_frame")


def test_the_med_structure_is_the_top_committees_also_in_english(jammerbugt: Profile) -> None:
    """001 (September webinar): "MED-hovedudvalget har mulighed for at aftale en tilpasning af
    MED-strukturen, bl.a. i forbindelse med organisationsændringer"; 002: KommuneMED tilpasser
    MED-strukturen."""
    assert decide_level("we must adjust our MED structure after the merger, who agrees that?", jammerbugt).level == "top"


def test_competence_development_goals_are_the_workplaces_also_in_english(albertslund: Profile) -> None:
    """002 (ArbejdspladsMED, bilag D): "Drøfte mål, sammenhæng mål og kompetenceudvikling"."""
    assert decide_level("competence development goals for our team, which committee?", albertslund).level == "local"


def test_a_workplace_manager_named_by_the_workplace_decides_locally(jammerbugt: Profile) -> None:
    """002 (lokalaftalen § 2, stk. 3): the committee where the leader who decides sits; "the daycare
    manager" leads that workplace, while a bare "my manager" is not placed at a level (ask)."""
    assert decide_level("the daycare manager wants new opening hours for the daycare", jammerbugt).level == "local"
    assert decide_level("my manager wants new opening hours", jammerbugt).level == "ask"


def test_a_vague_chef_with_fillers_is_still_asked_about(albertslund: Profile) -> None:
    """The level rules: "min chef" names no level; "altså", "tror jeg" around it change nothing."""
    assert decide_level("min chef vil indfore et nyt fagsystem", albertslund, decider="min chef altsaa").level == "ask"


def test_ones_own_sickness_interview_and_a_supplement_are_not_med(jammerbugt: Profile) -> None:
    """002 (Kompetenceforhold): "MED-udvalgene kan ikke behandle personalesager, klagesager og emner,
    som kommunen skal aftale med den enkelte forhandlingsberettigede organisation (fx løn …)"."""
    assert decide_level("jeg har haft meget sygefravaer og er indkaldt til samtale, skal MED vaere med?", jammerbugt).level == "not_med"
    assert decide_level("tillaeg for at vaere praktikvejleder, hvilket med skal vi rejse det i?", jammerbugt).level == "not_med"


def test_budget_evaluation_and_frame_come_before_sending_an_idea(jammerbugt: Profile) -> None:
    """000 (Udmøntning og evaluering): "Den årlige evaluering af budgetproceduren i Hoved-MED";
    (januar – marts) "HovedMED … drøfter MED-inddragelse i processen herunder processen for 'Den gode ide'"."""
    case = "hvor bliver budgetproceduren evalueret? tiden til gode ideer var for kort, hvor siger vi det"
    assert decide_level(case, jammerbugt).level == "top"


def test_the_idea_meeting_is_the_workplaces_once_forvaltningsmed_has_decided(jammerbugt: Profile) -> None:
    """000 (Procesbeskrivelse 'Den gode idé'): idégenereringsmøde "evt. i relevante LokalMED (hvis det er
    besluttet i ForvaltningsMED)"; whether LokalMED takes part, formand og næstformand i ForvaltningsMED decide."""
    decided = "forvaltningsMED har besluttet at lokalMED skal med i den gode ide, hvor holder vi idemoedet for vores arbejdsplads"
    assert decide_level(decided, jammerbugt).level == "local"
    assert decide_level("vil holde et idemøde i vores lokalMED, bestemmer vi det selv?", jammerbugt).level != "local"


def test_one_colleagues_dismissal_stays_personal_when_we_all_think_it_unfair(jammerbugt: Profile) -> None:
    """002 (Kompetenceforhold): "MED-udvalgene kan ikke behandle personalesager"."""
    case = "min kollega er blevet fyret efter lang sygemelding, vi synes alle det er uretfaerdigt. kan vi tage det op i lokalMED?"
    assert decide_level(case, jammerbugt, decider="vores leder og HR").level == "not_med"


def test_ones_own_hours_are_agreed_outside_med(jammerbugt: Profile) -> None:
    """002 (Kompetenceforhold): "MED-udvalgene kan ikke behandle personale-sager, klagesager og
    emner, som kommunen skal aftale med den enkelte forhandlingsberettigede organisation på et
    givet område, herunder fx løn, arbejdstid, seniortillæg" – going down in hours is arbejdstid."""
    case = "hej jeg er ny her og vil gerne gaa ned paa 32 timer om ugen pga min søn. skal det forbi LokalMED foerst?"
    assert decide_level(case, jammerbugt).level == "not_med"
    assert decide_level("nye mødetider for hele afdelingen, 37 timer fordelt anderledes", jammerbugt).level != "not_med"


def test_a_workplace_task_for_the_whole_municipality_follows_the_scope(jammerbugt: Profile) -> None:
    """002 (ArbejdspladsMED, bilag D): APV and its handleplaner are the workplace's task; 002
    (Kompetenceforhold): "Det rette niveau defineres ud fra, hvem der træffer en beslutning" – a
    method for the whole municipality is not decided by one workplace's leader."""
    assert decide_level("vi skal have en ny APV-metode i hele kommunen", jammerbugt).level == "top"
    assert decide_level("ny APV-metode for hele forvaltningen", jammerbugt).level == "middle"
    assert decide_level("ny APV på vores arbejdsplads", jammerbugt).level == "local"


def test_the_staff_room_is_not_a_personalesag(albertslund: Profile) -> None:
    """002 (Hvilke sager skal i MED): personalesager are cases about one employee; moving the
    staff room (»personalestuen«) is a change at the workplace, decided by its leader."""
    decision = decide_level("vores leder vil flytte personalestuen ind i et mindre rum når vi bygger om", albertslund)
    assert decision.level == "local"
    assert decide_level("det er en personalesag om min kollega", albertslund).level == "not_med"


def test_local_rules_on_threats_and_blows_are_the_workplaces(albertslund: Profile) -> None:
    """002 (ArbejdspladsMED, bilag D): "Aftale lokale retningslinjer for vold-mobning-chikane";
    "KommuneMED har aftalt en ramme for lokale retningslinjer i forbindelse med ... vold og
    trusler om vold". Threats and blows told as verbs are the same subject."""
    case = (
        "paa bostedet har vi ingen faelles regler for hvad vi goer naar en beboer truer eller slaar. "
        "vi vil gerne lave vores egne retningslinjer – hvor skal de aftales"
    )
    assert decide_level(case, albertslund).level == "local"


def test_the_whole_forvaltning_in_english_is_a_scope(jammerbugt: Profile) -> None:
    """000 (Faser i budgetlægningen; kontaktpersoner pr. forvaltning): ForvaltningsMED is the
    committee of one whole forvaltning."""
    case = (
        "Our forvaltning's management group wants to centralise booking of vikarer for the whole "
        "forvaltning instead of each institution doing it themselves. Which MED committee should handle this?"
    )
    assert decide_level(case, jammerbugt).level == "middle"


def test_a_leaders_instruction_for_one_persons_day_is_daily_management(albertslund: Profile) -> None:
    """002 (Hvilke sager skal i MED): "Den almindelige, daglige ledelse skal som udgangspunkt
    ikke drøftes i MED"."""
    case = "lederen har sagt at jeg skal tage moedelokalerne foerst i morgen og kontorerne bagefter. kan jeg tage det op i med?"
    assert decide_level(case, albertslund).level == "not_med"
    assert decide_level(case, albertslund, decider="lederen").level == "not_med"


def test_jammerbugt_idea_process_steps_settle_the_level(jammerbugt: Profile) -> None:
    """000 (Procesbeskrivelse 'Den gode idé'): "Det er formandskabet fra HovedMED, der har
    ansvaret for at give en tilbagemelding til alle ForvaltningsMED"; "De resterende gode
    forslag, der går på tværs af egen forvaltning, må Fagudvalgene, ForvaltningsMED og
    forvaltningerne meget gerne arbejde videre med"; "ForvaltningsMED kan desuden aftale, at
    der sker drøftelser i LokalMED vedrørende 'Den gode ide'"; (Udmøntning og evaluering)
    "Den årlige evaluering af budgetproceduren i Hoved-MED"."""
    cases = {
        "hvem er det egentlig der skal give forvaltningsMED besked om hvilke ideer der blev præsenteret for ØU": "top",
        "ØU valgte ikke vores forslag, men det går på tværs af vores egen forvaltning (BFF). hvor kan man arbejde videre med det i MED?": "middle",
        "ForvaltningsMED har sagt ja til at lokalMED'erne må arbejde med den gode idé i år. Hvor skal vi her i børnehuset så drøfte vores ideer?": "local",
        "Who does the yearly evaluation of the budget procedure, is it forvaltningsMED or hovedMED?": "top",
    }
    for case, level in cases.items():
        assert decide_level(case, jammerbugt).level == level, case


def test_organising_the_work_environment_work_in_the_agreement_is_kommunemed(albertslund: Profile) -> None:
    """002 (KommuneMED's tasks): "Tilpasse MED-strukturen/organiseringen af arbejdsmiljøarbejdet
    i den lokale MED-aftale"."""
    case = (
        "Efter omorganiseringen giver den måde arbejdsmiljøarbejdet er organiseret på i MED-aftalen "
        "(AMG'er osv) ikke længere mening. Hvilket niveau skal lave det om?"
    )
    assert decide_level(case, albertslund).level == "top"
