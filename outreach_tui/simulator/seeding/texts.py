"""Word banks for the seeded workspace: people, companies, subjects, email paragraphs."""

from __future__ import annotations

# fmt: off
FIRST_NAMES = (
    "Ava", "Liam", "Maya", "Noah", "Sofia", "Ethan", "Chloe", "Lucas", "Priya", "Mateo",
    "Hannah", "Omar", "Grace", "Diego", "Zoe", "Kenji", "Amara", "Felix", "Nora", "Ravi",
    "Elena", "Jonas", "Leila", "Marco", "Ines", "Tobias", "Yara", "Samuel", "Mei",
    "Andre", "Clara", "Hugo", "Aisha", "Victor", "Julia", "Kofi", "Lena", "Pablo",
    "Sara", "Theo", "Fatima", "Oscar", "Ingrid", "Rafael", "Nadia", "Erik", "Carmen",
    "Malik", "Greta", "Ivan",
)
LAST_NAMES = (
    "Chen", "Patel", "Garcia", "Kowalski", "Nguyen", "Okafor", "Schmidt", "Rossi",
    "Tanaka", "Silva", "Johansson", "Haddad", "Murphy", "Dubois", "Novak", "Kim",
    "Fischer", "Moreno", "Ibrahim", "Larsen", "Costa", "Walsh", "Yamamoto", "Ahmed",
    "Berg", "Lopez", "Meyer", "Singh", "Romero", "Olsen", "Bianchi", "Park", "Svensson",
    "Adeyemi", "Hoffmann", "Cruz", "Petrov", "Nakamura", "Reyes", "Lindqvist",
)
COMPANIES = (
    ("Acme Logistics", "acme-logistics.example"),
    ("Brightline Health", "brightline-health.example"),
    ("Cobalt Robotics", "cobalt-robotics.example"),
    ("Driftwood Analytics", "driftwood-analytics.example"),
    ("Ember Payments", "ember-payments.example"),
    ("Foxglove Bio", "foxglove.bio.example"),
    ("Granite Security", "granite-sec.example"),
    ("Harbor Freight Tech", "harborfreight-tech.example"),
    ("Ionic Energy", "ionic-energy.example"),
    ("Juniper Learning", "juniper-learning.example"),
    ("Keystone Legal", "keystone-legal.example"),
    ("Lumen Retail", "lumen-retail.example"),
    ("Meridian Travel", "meridian-travel.example"),
    ("Nimbus Cloud", "nimbus-cloud.example"),
    ("Orchard Foods", "orchard-foods.example"),
    ("Pinnacle Insurance", "pinnacle-ins.example"),
    ("Quarry Media", "quarry-media.example"),
    ("Redwood Realty", "redwood-realty.example"),
    ("Summit HR", "summit-hr.example"),
    ("Tidal Marine", "tidal-marine.example"),
    ("Umbra Design", "umbra-design.example"),
    ("Vertex Manufacturing", "vertex-mfg.example"),
    ("Willow Finance", "willow-finance.example"),
    ("Xenon Labs", "xenon-labs.example"),
    ("Yellowtail Games", "yellowtail-games.example"),
    ("Zephyr Mobility", "zephyr-mobility.example"),
)
ROLES = (
    "VP Sales", "Head of Growth", "CTO", "Founder", "Marketing Director", "RevOps Lead",
    "COO", "Head of Partnerships", "Sales Manager", "CEO", "Demand Gen Manager",
)
CITIES = (
    "Austin", "Berlin", "Toronto", "London", "Lisbon", "Singapore", "Denver", "Sydney",
    "Chicago", "Paris", "Amsterdam", "Seattle", "Dublin", "Boston", "Madrid",
)
# fmt: on
EMAIL_PROVIDER_MIX = (
    "google",
    "google",
    "google",
    "microsoft",
    "microsoft",
    "other",
    "yahoo",
    "zoho",
)

SENDER_TITLES = ("Account Executive", "Founder", "Partnerships", "Growth Lead", "SDR")
CAMPAIGN_NAMES = (
    "Q3 SaaS founders - US",
    "Series A CTOs outreach",
    "RevOps leaders EMEA",
    "Logistics re-engagement",
    "Healthcare pilot invite",
    "Agency partners 2025",
    "Webinar follow-up",
    "Enterprise expansion - APAC",
    "Fintech decision makers",
    "Retail holiday push",
    "Conference attendees",
    "Cold list - manufacturing",
)
THREAD_SUBJECTS = (
    "Quick question about {company}",
    "Idea for {company}'s pipeline",
    "{company} + outbound",
    "Cutting reply time at {company}",
    "A 15-minute idea",
    "Saw {company} is hiring SDRs",
    "Partnership?",
    "Following up on the webinar",
    "Your Q3 outbound plan",
    "Case study: 3x meetings",
)
MANUAL_SUBJECTS = (
    "Intro request",
    "Invoice #4821",
    "Catching up next week?",
    "Speaker slot at our meetup",
    "Contract draft attached",
    "Question about pricing",
)
PITCHES = (
    "We help teams like {company} book more meetings without hiring more SDRs.",
    "I noticed {company} is expanding its sales team and thought this might be timely.",
    "Teams similar to {company} cut their reply time in half with a shared inbox.",
    "We put together a short case study on how a peer of {company} tripled booked demos.",
    "Most {role}s I talk to lose hours a week triaging replies by hand.",
)
CALLS_TO_ACTION = (
    "Would a quick 15-minute call next week make sense?",
    "Open to a short chat on Thursday?",
    "Worth a look? Happy to send a 2-minute video instead.",
    "Who would be the right person to talk to about this?",
)
FOLLOW_UPS = (
    "Thanks for getting back to me! Here is a link to grab a time that suits you.",
    "Great question. Short answer: yes, and I can walk you through it on a call.",
    "Understood, thanks for letting me know. I will close the loop on my side.",
    "Happy to help. I have attached the one-pager we discussed.",
)
REPLIES = {
    "interested": (
        "This looks interesting. Can you share pricing and a couple of references?",
        "Timing is actually good, we are reviewing our outbound stack this quarter.",
    ),
    "not_interested": (
        "Thanks, but we are not looking at anything like this right now.",
        "Not a fit for us at the moment, please take me off your list.",
    ),
    "needs_more_info": (
        "Can you send more details on how the integration with our CRM works?",
        "What does onboarding look like and how long does it take?",
    ),
    "meeting_requested": (
        "Sure, let's talk. Does Tuesday at 10am work for you?",
        "Happy to chat. Send over an invite for later this week.",
    ),
    "wrong_person": (
        "I am not the right person for this, you may want to reach out to our ops team.",
        "Wrong contact, I work in finance.",
    ),
    "out_of_office": (
        "I am out of the office until Monday with limited access to email.",
        "Automatic reply: I am on parental leave and will respond when I return.",
    ),
    "referral": (
        "Looping in my colleague who owns this area, she is the best person to talk to.",
        "You should talk to our Head of Sales, I have copied him here.",
    ),
    "question": (
        "Does this work with Outlook shared mailboxes?",
        "Is there a free trial, and do you support SSO?",
    ),
    "neutral": (
        "Thanks for the note.",
        "Received, will take a look when I have a moment.",
    ),
    "unsubscribe": (
        "Unsubscribe.",
        "Please remove me from all future emails.",
    ),
    "left_company": (
        "Thank you for your email. I have left the company; please contact info@ instead.",
        "This mailbox is no longer monitored as the person has left the company.",
    ),
}
UNLABELLED_REPLIES = (
    "Got it, thanks.",
    "Let me check with the team and come back to you.",
)
ATTACHMENT_KINDS = (
    ("proposal.pdf", "application/pdf"),
    ("pricing-2025.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("invite.ics", "text/calendar"),
    ("screenshot.png", "image/png"),
    ("notes.txt", "text/plain"),
)
