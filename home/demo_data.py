"""The demo content in Norwegian Bokmål with its English translation.

Rich text is written as blocks so that every paragraph and list item has its
English counterpart: the command turns the pairs into the Norwegian source
and into wagtail-localize string translations for English.
"""

# A rich text value: a list of ("p", (nb, en)) or ("ul", [(nb, en), ...]).


def p(nb, en):
    return ("p", (nb, en))


def ul(*items):
    return ("ul", list(items))


HOME = {
    "title": ("NTNU mentorprogram", "NTNU mentoring programme"),
    "slug": ("hjem", "home"),
    "intro": [
        p(
            "Her finner du NTNUs mentorprogram for kvinnelige førsteamanuenser og førstelektorer.",
            "This is the home of NTNU's mentoring programme for women associate professors and senior lecturers.",
        )
    ],
}

PROGRAMME = {
    "title": (
        "Mentorprogram for kvinnelige førsteamanuenser og førstelektorer",
        "Mentoring programme for women associate professors and senior lecturers",
    ),
    "slug": ("mentorprogram", "mentoring-programme"),
    "intro": [
        p(
            "Her finner du informasjon om NTNUs mentorprogram for kvinner i førsteamanuensis- og førstelektorstillinger.",
            "Here you will find information about NTNU's mentoring programme for women in associate professor and senior lecturer positions.",
        )
    ],
    "no_round_text": [
        p(
            "Når ny runde er klar vil denne siden oppdateres med informasjon om datoer og samlinger. Informasjon vil også bli gitt i Innsida-kanalen «Kurs og opplæring for ansatte».",
            "When a new round is ready, this page will be updated with information about dates and gatherings. Information will also be posted in the Innsida channel “Courses and training for employees”.",
        )
    ],
    "purpose": [
        p(
            "Målsettingen med programmet er å øke andelen kvinner i professorat og dosentstillinger gjennom å bidra til karriereutvikling. Videre vil programmet bidra til nettverksbygging og erfaringsutveksling mellom kvinnelige forskere på tvers av NTNU, og til læring og utvikling for både adepter, mentorer og NTNU som organisasjon. Programmet er et viktig ledd i likestillings- og karriereutviklingsarbeidet ved NTNU.",
            "The aim of the programme is to increase the proportion of women in professor and docent positions by supporting their career development. The programme also fosters networking and the sharing of experience among women researchers across NTNU, and learning and development for mentees, mentors and NTNU as an organisation. It is an important part of NTNU's work on gender equality and career development.",
        )
    ],
    "mentee_role": [
        p(
            "Som adept er du i dag fast ansatt ved NTNU som førstelektor eller førsteamanuensis, og er på god vei til å søke om opprykk. Gjennom programmet vil du få bistand til karriereutvikling og øke din kunnskap om hva som kreves for å bli kvalifisert for opprykk til professor eller dosent.",
            "As a mentee, you hold a permanent position at NTNU as a senior lecturer or associate professor and are well on your way to applying for promotion. The programme supports your career development and gives you a clearer picture of what it takes to qualify for promotion to professor or docent.",
        ),
        p(
            "Ved utvelgelse vil din motivasjon, begrunnelse og hvor langt du er kommet i opprykksarbeidet vektlegges. Fakultetene nominerer inntil 4 adepter hver.",
            "In the selection, weight is given to your motivation, your reasons for applying and how far you have come in your work towards promotion. Each faculty nominates up to 4 mentees.",
        ),
    ],
    "mentor_role": [
        p(
            "Som mentor er du dosent eller professor, og du er interessert i å bidra til både andres og egen vekst og utvikling, og i å utvikle ditt nettverk på NTNU. Du vil bistå din adept mot kvalifisering til opprykk, og programmet vil gi deg en økt forståelse for mentorrollen og verktøy til bruk i mentorskapet. Vi ønsker både kvinnelige og mannlige mentorer.",
            "As a mentor, you are a docent or professor who wants to contribute to the growth and development of others as well as your own, and to widen your network at NTNU. You will help your mentee on the way to qualifying for promotion, and the programme will give you a deeper understanding of the mentor role and tools to use in the mentoring relationship. We welcome both women and men as mentors.",
        ),
    ],
    "programme_format": [
        ul(
            (
                "Fire fellessamlinger, én samling bare for mentorer og to samlinger bare for adepter",
                "Four joint gatherings, one gathering for mentors only and two gatherings for mentees only",
            ),
            (
                "Obligatorisk deltakelse på alle samlingene, samlingene planlegges fysisk",
                "Attendance at all gatherings is mandatory; the gatherings are planned as in-person meetings",
            ),
            (
                "Samlingene gjennomføres på norsk (noen engelske tilpasninger etter behov)",
                "The gatherings are held in Norwegian (with some adaptations in English where needed)",
            ),
            (
                "Adeptene vil ha noen hjemmeoppgaver (knyttet til samarbeid med mentor og eget opprykksarbeid) mellom samlingene",
                "Between the gatherings, mentees will have some assignments (linked to the work with their mentor and to their own promotion work)",
            ),
            (
                "Programmet har plass til 20 adepter og 20 mentorer",
                "The programme has room for 20 mentees and 20 mentors",
            ),
            (
                "Adepter og mentorer blir satt sammen på tvers av faglig tilhørighet",
                "Mentees and mentors are paired across academic disciplines",
            ),
            (
                "8–10 møter mellom mentor og adept",
                "8–10 meetings between mentor and mentee",
            ),
        ),
        p(
            "Som deltaker forplikter du deg til å delta på alle samlingene og å gjennomføre mentor-adept-møter utenom samlingene.",
            "As a participant, you commit to attending all the gatherings and to holding mentor–mentee meetings between them.",
        ),
    ],
    "topics": [
        p(
            "Tema på samlingene vil omfatte blant annet:",
            "Topics at the gatherings will include:",
        ),
        ul(
            (
                "Roller, ansvar og samarbeid i mentorskapet",
                "Roles, responsibilities and collaboration in the mentoring relationship",
            ),
            ("Nettverksbygging", "Networking"),
            (
                "Opprykksarbeidet og søknadsprosessen",
                "Working towards promotion and the application process",
            ),
            (
                "Valg og prioritering i karriereløpet",
                "Choices and priorities in your career",
            ),
            (
                "Identitet knyttet til professor/-dosentrollen",
                "Identity in the role of professor or docent",
            ),
            ("Balanse hjem-arbeid", "Balancing work and home life"),
            ("Erfaringsdeling", "Sharing experience"),
        ),
    ],
    "how_to_apply": [
        p(
            "Søknadsinformasjon blir oppdatert ved neste programrunde. Informasjon om ny programrunde vil også bli delt på Innsida i kanalen «Kurs og opplæring for ansatte».",
            "Information on how to apply is updated for each new programme round. News of the next round will also be shared on Innsida in the channel “Courses and training for employees”.",
        )
    ],
    "organisation": [
        p(
            "HR- og HMS-avdelingen er ansvarlig for programmet, og planlegger innhold og tilrettelegger samlingene i samarbeid med interne og eksterne samarbeidsparter.",
            "The HR and HSE Division is responsible for the programme. It plans the content and organises the gatherings together with internal and external partners.",
        )
    ],
}

# An invented person: demo content never names a real member of staff.
CONTACT_PERSON = {
    "name": ("Solveig Eksempelsen", "Solveig Eksempelsen"),
    "job_title": ("seniorrådgiver", "Senior Adviser"),
    "unit": ("HR- og HMS-avdelingen", "HR and HSE Division"),
    "email": "hr-mentoring@example.org",
}

CONTACT_PAGE = {
    "title": ("Kontakt", "Contact"),
    "slug": ("kontakt", "contact"),
    "unit_name": ("HR- og HMS-avdelingen", "HR and HSE Division"),
    "intro": [
        p(
            "HR- og HMS-avdelingen er ansvarlig for mentorprogrammet. Ta gjerne kontakt hvis du har spørsmål om programmet eller søknadsprosessen.",
            "The HR and HSE Division is responsible for the mentoring programme. Please get in touch if you have questions about the programme or about applying.",
        )
    ],
    "address": (
        "NTNU\nHR- og HMS-avdelingen\n7491 Trondheim",
        "NTNU\nHR and HSE Division\nNO-7491 Trondheim, Norway",
    ),
    "email": "hr-mentoring@example.org",
}

# The faculties of NTNU: (Norwegian name, English name, short name).
FACULTIES = [
    ("Fakultet for arkitektur og design", "Faculty of Architecture and Design", "AD"),
    ("Det humanistiske fakultet", "Faculty of Humanities", "HF"),
    (
        "Fakultet for informasjonsteknologi og elektroteknikk",
        "Faculty of Information Technology and Electrical Engineering",
        "IE",
    ),
    ("Fakultet for ingeniørvitenskap", "Faculty of Engineering", "IV"),
    (
        "Fakultet for medisin og helsevitenskap",
        "Faculty of Medicine and Health Sciences",
        "MH",
    ),
    ("Fakultet for naturvitenskap", "Faculty of Natural Sciences", "NV"),
    (
        "Fakultet for samfunns- og utdanningsvitenskap",
        "Faculty of Social and Educational Sciences",
        "SU",
    ),
    ("Fakultet for økonomi", "Faculty of Economics and Management", "ØK"),
    ("NTNU Vitenskapsmuseet", "NTNU University Museum", "VM"),
]

GLOSHAUGEN = ("NTNU Gløshaugen, Trondheim", "NTNU Gløshaugen, Trondheim")
DRAGVOLL = ("NTNU Dragvoll, Trondheim", "NTNU Dragvoll, Trondheim")
KALVSKINNET = ("NTNU Kalvskinnet, Trondheim", "NTNU Kalvskinnet, Trondheim")

ROLES_TOPIC = (
    "Roller, ansvar og samarbeid i mentorskapet",
    "Roles, responsibilities and collaboration in the mentoring relationship",
)
PROMOTION_TOPIC = (
    "Opprykksarbeidet og søknadsprosessen",
    "Working towards promotion and the application process",
)

# The 2022–2023 round as the programme ran it: four gatherings for all, one
# for mentors only and two for mentees only, on site, in Norwegian.
ROUND_2022 = {
    "title": ("Programrunde 2022–2023", "Programme round 2022–2023"),
    "slug": ("2022-2023", "2022-2023"),
    "period": ((2022, 9, 1), (2023, 6, 16)),
    "application_window": ((2022, 5, 2, 9, 0), (2022, 6, 10, 23, 59)),
    "intro": [
        p(
            "Programrunden 2022–2023 gikk fra september 2022 til juni 2023, med fire fellessamlinger, én samling for mentorer og to samlinger for adepter.",
            "The 2022–2023 round ran from September 2022 to June 2023, with four joint gatherings, one gathering for mentors and two gatherings for mentees.",
        )
    ],
    "sessions": [
        {
            "title": ("Oppstartssamling", "Opening gathering"),
            "slug": ("oppstartssamling", "opening-gathering"),
            "audience": "all",
            "when": ((2022, 9, 22, 9, 0), (2022, 9, 22, 16, 0)),
            "place": GLOSHAUGEN,
            "agenda": [
                ul(
                    (
                        "Velkommen og presentasjon av programmet",
                        "Welcome and introduction to the programme",
                    ),
                    (
                        "Bli kjent: mentorer og adepter møtes",
                        "Getting to know each other: mentors and mentees meet",
                    ),
                    (
                        "Forventningsavklaring i mentorparene",
                        "Agreeing on expectations in each mentoring pair",
                    ),
                )
            ],
            "topics": [ul(ROLES_TOPIC)],
            "homework": [
                p(
                    "Avtal det første mentormøtet og skriv ned tre mål for programåret.",
                    "Arrange your first meeting with your mentor and write down three goals for the programme year.",
                )
            ],
        },
        {
            "title": ("Samling for mentorer", "Gathering for mentors"),
            "slug": ("samling-for-mentorer", "gathering-for-mentors"),
            "audience": "mentors",
            "when": ((2022, 10, 6, 12, 0), (2022, 10, 6, 16, 0)),
            "place": DRAGVOLL,
            "agenda": [
                ul(
                    (
                        "Mentorrollen og den gode mentorsamtalen",
                        "The mentor role and the good mentoring conversation",
                    ),
                    (
                        "Verktøy for veiledning og refleksjon",
                        "Tools for guidance and reflection",
                    ),
                )
            ],
            "topics": [ul(ROLES_TOPIC)],
        },
        {
            "title": (
                "Adeptsamling: opprykk og søknadsprosessen",
                "Mentee gathering: promotion and the application process",
            ),
            "slug": ("adeptsamling-opprykk", "mentee-gathering-promotion"),
            "audience": "mentees",
            "when": ((2022, 10, 27, 9, 0), (2022, 10, 27, 15, 0)),
            "place": GLOSHAUGEN,
            "agenda": [
                ul(
                    (
                        "Kriteriene for opprykk til professor og dosent",
                        "The criteria for promotion to professor and docent",
                    ),
                    (
                        "Slik bygger du opp en god søknad",
                        "How to build a strong application",
                    ),
                )
            ],
            "topics": [ul(PROMOTION_TOPIC)],
            "homework": [
                p(
                    "Lag et utkast til plan for ditt eget opprykksarbeid, og diskuter det med mentoren din.",
                    "Draft a plan for your own promotion work and discuss it with your mentor.",
                )
            ],
        },
        {
            "title": (
                "Fellessamling: nettverk og karrierevalg",
                "Joint gathering: networks and career choices",
            ),
            "slug": ("fellessamling-nettverk", "joint-gathering-networks"),
            "audience": "all",
            "when": ((2022, 11, 24, 9, 0), (2022, 11, 24, 15, 30)),
            "place": KALVSKINNET,
            "agenda": [
                ul(
                    (
                        "Nettverksbygging på tvers av NTNU",
                        "Building networks across NTNU",
                    ),
                    (
                        "Gruppearbeid: valg og prioriteringer i egen karriere",
                        "Group work: choices and priorities in your own career",
                    ),
                )
            ],
            "topics": [
                ul(
                    ("Nettverksbygging", "Networking"),
                    (
                        "Valg og prioritering i karriereløpet",
                        "Choices and priorities in your career",
                    ),
                )
            ],
        },
        {
            "title": (
                "Fellessamling: identitet og balanse",
                "Joint gathering: identity and balance",
            ),
            "slug": ("fellessamling-identitet", "joint-gathering-identity"),
            "audience": "all",
            "when": ((2023, 2, 9, 9, 0), (2023, 2, 9, 15, 0)),
            "place": GLOSHAUGEN,
            "agenda": [
                ul(
                    (
                        "Foredrag og samtale med en professor og en dosent",
                        "Talk and conversation with a professor and a docent",
                    ),
                    ("Refleksjon i mentorparene", "Reflection in the mentoring pairs"),
                )
            ],
            "topics": [
                ul(
                    (
                        "Identitet knyttet til professor/-dosentrollen",
                        "Identity in the role of professor or docent",
                    ),
                    ("Balanse hjem-arbeid", "Balancing work and home life"),
                )
            ],
        },
        {
            "title": ("Adeptsamling: veien videre", "Mentee gathering: the road ahead"),
            "slug": ("adeptsamling-veien-videre", "mentee-gathering-road-ahead"),
            "audience": "mentees",
            "when": ((2023, 3, 16, 9, 0), (2023, 3, 16, 15, 0)),
            "place": DRAGVOLL,
            "agenda": [
                ul(
                    (
                        "Status i eget opprykksarbeid",
                        "Where you stand in your own promotion work",
                    ),
                    (
                        "Tilbakemelding på søknadsutkast i grupper",
                        "Feedback on draft applications in groups",
                    ),
                )
            ],
            "topics": [ul(PROMOTION_TOPIC)],
            "homework": [
                p(
                    "Gjør ferdig planen for opprykkssøknaden din før avslutningssamlingen.",
                    "Finish the plan for your promotion application before the closing gathering.",
                )
            ],
        },
        {
            "title": ("Avslutningssamling", "Closing gathering"),
            "slug": ("avslutningssamling", "closing-gathering"),
            "audience": "all",
            "when": ((2023, 6, 8, 9, 0), (2023, 6, 8, 16, 0)),
            "place": GLOSHAUGEN,
            "agenda": [
                ul(
                    ("Erfaringsdeling i plenum", "Sharing experience in plenary"),
                    ("Evaluering av programmet", "Evaluating the programme"),
                    ("Felles middag", "Dinner together"),
                )
            ],
            "topics": [ul(("Erfaringsdeling", "Sharing experience"))],
        },
    ],
}

# The next round, open for applications when the demo content is loaded.
# Its dates are computed then; the sessions are given as (days after the
# round starts, start time, end time).
UPCOMING_ROUND = {
    "title": ("Programrunde {years}", "Programme round {years}"),
    "intro": [
        p(
            "Nå kan du søke om å delta i neste runde av mentorprogrammet, som adept eller som mentor.",
            "You can now apply to take part in the next round of the mentoring programme, as a mentee or as a mentor.",
        )
    ],
    "form_intro": [
        p(
            "Det tar omtrent ti minutter å fylle ut søknaden. Som adept trenger du en kort motivasjonstekst og en oversikt over hvor langt du er kommet i opprykksarbeidet.",
            "The application takes about ten minutes to fill in. As a mentee, you will need a short statement of motivation and an overview of how far you have come in your promotion work.",
        ),
        p(
            "Søknaden går til HR- og HMS-avdelingen, og fakultetene blir bedt om å nominere inntil 4 adepter hver.",
            "Your application goes to the HR and HSE Division, and each faculty is asked to nominate up to 4 mentees.",
        ),
    ],
    "mentor_form_intro": [
        p(
            "Det tar omtrent ti minutter å fylle ut søknaden. Som mentor forteller du om erfaringen din med opprykk og veiledning, og om hva du kan tilby en adept.",
            "The application takes about ten minutes to fill in. As a mentor, you tell us about your experience of promotion and mentoring, and what you can offer a mentee.",
        ),
    ],
    "privacy_notice": [
        p(
            "NTNU behandler opplysningene i søknaden din for å velge ut deltakere og sette sammen mentorpar. Bare HR- og HMS-avdelingen og de som vurderer søknadene, har tilgang til dem.",
            "NTNU processes the information in your application in order to select participants and form mentoring pairs. Only the HR and HSE Division and those who assess the applications have access to it.",
        ),
        p(
            "Opplysningene slettes senest ett år etter at programrunden er avsluttet. Du kan når som helst be om innsyn i opplysningene dine eller be om at de slettes.",
            "The information is deleted no later than one year after the programme round has ended. You can ask to see your information, or ask for it to be deleted, at any time.",
        ),
    ],
    "confirmation_text": [
        p(
            "Vi gleder oss over at du vil være med i mentorprogrammet.",
            "We are glad that you want to take part in the mentoring programme.",
        )
    ],
    "sessions": [
        {
            "title": ("Oppstartssamling", "Opening gathering"),
            "slug": ("oppstartssamling", "opening-gathering"),
            "audience": "all",
            "when": (7, (9, 0), (16, 0)),
            "place": GLOSHAUGEN,
            "agenda": [
                ul(
                    (
                        "Velkommen og presentasjon av programmet",
                        "Welcome and introduction to the programme",
                    ),
                    (
                        "Bli kjent: mentorer og adepter møtes",
                        "Getting to know each other: mentors and mentees meet",
                    ),
                )
            ],
            "topics": [ul(ROLES_TOPIC)],
        },
        {
            "title": ("Samling for mentorer", "Gathering for mentors"),
            "slug": ("samling-for-mentorer", "gathering-for-mentors"),
            "audience": "mentors",
            "when": (21, (12, 0), (16, 0)),
            "place": DRAGVOLL,
            "agenda": [
                ul(
                    (
                        "Mentorrollen og den gode mentorsamtalen",
                        "The mentor role and the good mentoring conversation",
                    ),
                )
            ],
            "topics": [ul(ROLES_TOPIC)],
        },
        {
            "title": (
                "Adeptsamling: opprykk og søknadsprosessen",
                "Mentee gathering: promotion and the application process",
            ),
            "slug": ("adeptsamling-opprykk", "mentee-gathering-promotion"),
            "audience": "mentees",
            "when": (35, (9, 0), (15, 0)),
            "place": GLOSHAUGEN,
            "agenda": [
                ul(
                    (
                        "Kriteriene for opprykk til professor og dosent",
                        "The criteria for promotion to professor and docent",
                    ),
                )
            ],
            "topics": [ul(PROMOTION_TOPIC)],
            "homework": [
                p(
                    "Lag et utkast til plan for ditt eget opprykksarbeid, og diskuter det med mentoren din.",
                    "Draft a plan for your own promotion work and discuss it with your mentor.",
                )
            ],
        },
    ],
}

# Demo-only accounts; never use these passwords anywhere else.
USERS = [
    # (username, password, email, first name, last name, superuser, group)
    ("admin", "admin-demo-password", "admin@example.org", "Ada", "Admin", True, None),
    (
        "hr",
        "hr-demo-password",
        "hr@example.org",
        "Hanne",
        "HR",
        False,
        "HR reviewers",
    ),
    (
        "editor",
        "editor-demo-password",
        "editor@example.org",
        "Erik",
        "Editor",
        False,
        "Editors",
    ),
    (
        "koordinator",
        "coordinator-demo-password",
        "koordinator@example.org",
        "Kari",
        "Koordinator",
        False,
        "Faculty coordinators",
    ),
    (
        "komite1",
        "committee1-demo-password",
        "komite1@example.org",
        "Kjersti",
        "Komité",
        False,
        "Selection committee",
    ),
    (
        "komite2",
        "committee2-demo-password",
        "komite2@example.org",
        "Knut",
        "Komité",
        False,
        "Selection committee",
    ),
]

# The faculties (by short name) each demo faculty coordinator nominates for.
COORDINATORS = {"koordinator": ["NV", "IE"]}
