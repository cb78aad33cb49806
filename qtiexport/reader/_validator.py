"""The quiz schema compiled to Python by fastjsonschema: the fast yes/no check of the happy path.

Generated from schemas/quiz.schema.json by qtiexport.reader.schema.generated_validator_source();
tests/test_schema.py checks it is current (rebuild it with `pytest tests/test_schema.py --update-golden`).
The schema uses no keyword whose meaning differs between draft 7, which fastjsonschema
implements, and 2020-12; tests check the two validators agree.
Only the yes/no is used (jsonschema explains a no), so the code is trimmed of what only
makes fastjsonschema's messages: no place names are built for the checks of parts, and every
failure raises a bare exception. That was half the cost of a valid quiz, and decided nothing.
Two patterns are then written as cheaper code that decides the same (see schema._faster).
"""
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


class Invalid(JsonSchemaValueException):
    """Raised where fastjsonschema raises JsonSchemaValueException with a message, which is not used here."""

    __init__ = Exception.__init__  # no message, value or definition to keep


REGEX_PATTERNS = {
    '^(?:[A-Za-z]{2,3}|[A-Za-z]{5,8})(?:-[A-Za-z0-9]{1,8})*(?!\\n)$': re.compile('^(?:[A-Za-z]{2,3}|[A-Za-z]{5,8})(?:-[A-Za-z0-9]{1,8})*(?!\\n)\\Z'),
    '\\S': re.compile('\\S'),
    '^[A-Za-z_][A-Za-z0-9_.-]*(?!\\n)$': re.compile('^[A-Za-z_][A-Za-z0-9_.-]*(?!\\n)\\Z')
}

NoneType = type(None)

def validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_one_of_count1 = 0
    if data_one_of_count1 < 2:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                if 'sections' not in data:
                    raise Invalid
            data_one_of_count1 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count1 < 2:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                if 'questions' not in data:
                    raise Invalid
            data_one_of_count1 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if data_one_of_count1 != 1:
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        if 'id' not in data or 'title' not in data:
            raise Invalid
        data_keys = set(data.keys())
        if "$schema" in data_keys:
            data_keys.remove("$schema")
            data__schema = data["$schema"]
            if not isinstance(data__schema, (str)):
                raise Invalid
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_identifier(data__id, custom_formats, name_prefix)
        if "title" in data_keys:
            data_keys.remove("title")
            data__title = data["title"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__title, custom_formats, name_prefix)
        if "language" in data_keys:
            data_keys.remove("language")
            data__language = data["language"]
            if not isinstance(data__language, (str)):
                raise Invalid
            if isinstance(data__language, str):
                data__language_len = len(data__language)
                if data__language_len > 35:
                    raise Invalid
                if not REGEX_PATTERNS['^(?:[A-Za-z]{2,3}|[A-Za-z]{5,8})(?:-[A-Za-z0-9]{1,8})*(?!\\n)$'].search(data__language):
                    raise Invalid
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_text(data__description, custom_formats, name_prefix)
        if "instructions" in data_keys:
            data_keys.remove("instructions")
            data__instructions = data["instructions"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_text(data__instructions, custom_formats, name_prefix)
        if "metadata" in data_keys:
            data_keys.remove("metadata")
            data__metadata = data["metadata"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_metadata(data__metadata, custom_formats, name_prefix)
        if "settings" in data_keys:
            data_keys.remove("settings")
            data__settings = data["settings"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_settings(data__settings, custom_formats, name_prefix)
        if "sections" in data_keys:
            data_keys.remove("sections")
            data__sections = data["sections"]
            if not isinstance(data__sections, (list, tuple)):
                raise Invalid
            data__sections_is_list = isinstance(data__sections, (list, tuple))
            if data__sections_is_list:
                data__sections_len = len(data__sections)
                if data__sections_len < 1:
                    raise Invalid
                for data__sections_x, data__sections_item in enumerate(data__sections):
                    validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_section(data__sections_item, custom_formats, name_prefix)
        if "questions" in data_keys:
            data_keys.remove("questions")
            data__questions = data["questions"]
            if not isinstance(data__questions, (list, tuple)):
                raise Invalid
            data__questions_is_list = isinstance(data__questions, (list, tuple))
            if data__questions_is_list:
                data__questions_len = len(data__questions)
                if data__questions_len < 1:
                    raise Invalid
                for data__questions_x, data__questions_item in enumerate(data__questions):
                    validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_question(data__questions_item, custom_formats, name_prefix)
        if data_keys:
            raise Invalid
    return data

def validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_question(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    if isinstance(data, dict) and data.get('type') == 'single_choice':
        validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_singlechoice(data, custom_formats, name_prefix)
    if isinstance(data, dict) and data.get('type') == 'multiple_response':
        validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_multipleresponse(data, custom_formats, name_prefix)
    if isinstance(data, dict) and data.get('type') == 'true_false':
        validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_truefalse(data, custom_formats, name_prefix)
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        if 'id' not in data or 'type' not in data or 'prompt' not in data:
            raise Invalid
        data_keys = set(data.keys())
        if "type" in data_keys:
            data_keys.remove("type")
            data__type = data["type"]
            if not (isinstance(data__type, str) and data__type == 'single_choice' or isinstance(data__type, str) and data__type == 'multiple_response' or isinstance(data__type, str) and data__type == 'true_false'):
                raise Invalid
    return data

def validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_truefalse(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        if 'answer' not in data:
            raise Invalid
        data_keys = set(data.keys())
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_identifier(data__id, custom_formats, name_prefix)
        if "type" in data_keys:
            data_keys.remove("type")
            data__type = data["type"]
            if not (isinstance(data__type, str) and data__type == 'true_false'):
                raise Invalid
        if "title" in data_keys:
            data_keys.remove("title")
            data__title = data["title"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__title, custom_formats, name_prefix)
        if "prompt" in data_keys:
            data_keys.remove("prompt")
            data__prompt = data["prompt"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_text(data__prompt, custom_formats, name_prefix)
        if "points" in data_keys:
            data_keys.remove("points")
            data__points = data["points"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_points(data__points, custom_formats, name_prefix)
        if "feedback" in data_keys:
            data_keys.remove("feedback")
            data__feedback = data["feedback"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_feedback(data__feedback, custom_formats, name_prefix)
        if "answer" in data_keys:
            data_keys.remove("answer")
            data__answer = data["answer"]
            if not isinstance(data__answer, (bool)):
                raise Invalid
        if "labels" in data_keys:
            data_keys.remove("labels")
            data__labels = data["labels"]
            if not isinstance(data__labels, (dict)):
                raise Invalid
            data__labels_is_dict = isinstance(data__labels, dict)
            if data__labels_is_dict:
                data__labels__missing_keys = set(['true', 'false']) - data__labels.keys()
                if data__labels__missing_keys:
                    raise Invalid
                data__labels_keys = set(data__labels.keys())
                if "true" in data__labels_keys:
                    data__labels_keys.remove("true")
                    data__labels__true = data__labels["true"]
                    validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__labels__true, custom_formats, name_prefix)
                if "false" in data__labels_keys:
                    data__labels_keys.remove("false")
                    data__labels__false = data__labels["false"]
                    validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__labels__false, custom_formats, name_prefix)
                if data__labels_keys:
                    raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_feedback(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_len = len(data)
        if data_len < 1:
            raise Invalid
        data_keys = set(data.keys())
        if "correct" in data_keys:
            data_keys.remove("correct")
            data__correct = data["correct"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_text(data__correct, custom_formats, name_prefix)
        if "incorrect" in data_keys:
            data_keys.remove("incorrect")
            data__incorrect = data["incorrect"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_text(data__incorrect, custom_formats, name_prefix)
        if "general" in data_keys:
            data_keys.remove("general")
            data__general = data["general"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_text(data__general, custom_formats, name_prefix)
        if data_keys:
            raise Invalid
    return data

def validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_points(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (int, float, Decimal)) or isinstance(data, bool):
        raise Invalid
    if isinstance(data, (int, float, Decimal)) and not isinstance(data, bool):
        if data > 1000:
            raise Invalid
        if data <= 0:
            raise Invalid
    return data

def validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_multipleresponse(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        if 'choices' not in data:
            raise Invalid
        data_keys = set(data.keys())
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_identifier(data__id, custom_formats, name_prefix)
        if "type" in data_keys:
            data_keys.remove("type")
            data__type = data["type"]
            if not (isinstance(data__type, str) and data__type == 'multiple_response'):
                raise Invalid
        if "title" in data_keys:
            data_keys.remove("title")
            data__title = data["title"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__title, custom_formats, name_prefix)
        if "prompt" in data_keys:
            data_keys.remove("prompt")
            data__prompt = data["prompt"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_text(data__prompt, custom_formats, name_prefix)
        if "points" in data_keys:
            data_keys.remove("points")
            data__points = data["points"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_points(data__points, custom_formats, name_prefix)
        if "feedback" in data_keys:
            data_keys.remove("feedback")
            data__feedback = data["feedback"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_feedback(data__feedback, custom_formats, name_prefix)
        if "choices" in data_keys:
            data_keys.remove("choices")
            data__choices = data["choices"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_choices(data__choices, custom_formats, name_prefix)
        if "scoring" in data_keys:
            data_keys.remove("scoring")
            data__scoring = data["scoring"]
            if not (isinstance(data__scoring, str) and data__scoring == 'all-or-nothing' or isinstance(data__scoring, str) and data__scoring == 'partial'):
                raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_choices(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (list, tuple)):
        raise Invalid
    data_is_list = isinstance(data, (list, tuple))
    if data_is_list:
        data_len = len(data)
        if data_len < 2:
            raise Invalid
        if data_len > 36:
            raise Invalid
        for data_x, data_item in enumerate(data):
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_choice(data_item, custom_formats, name_prefix)
    return data

def validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_choice(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        if 'id' not in data or 'text' not in data:
            raise Invalid
        data_keys = set(data.keys())
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_identifier(data__id, custom_formats, name_prefix)
        if "text" in data_keys:
            data_keys.remove("text")
            data__text = data["text"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_text(data__text, custom_formats, name_prefix)
        if "correct" in data_keys:
            data_keys.remove("correct")
            data__correct = data["correct"]
            if not isinstance(data__correct, (bool)):
                raise Invalid
        if "feedback" in data_keys:
            data_keys.remove("feedback")
            data__feedback = data["feedback"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_text(data__feedback, custom_formats, name_prefix)
        if "fixed" in data_keys:
            data_keys.remove("fixed")
            data__fixed = data["fixed"]
            if not isinstance(data__fixed, (bool)):
                raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_singlechoice(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        if 'choices' not in data:
            raise Invalid
        data_keys = set(data.keys())
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_identifier(data__id, custom_formats, name_prefix)
        if "type" in data_keys:
            data_keys.remove("type")
            data__type = data["type"]
            if not (isinstance(data__type, str) and data__type == 'single_choice'):
                raise Invalid
        if "title" in data_keys:
            data_keys.remove("title")
            data__title = data["title"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__title, custom_formats, name_prefix)
        if "prompt" in data_keys:
            data_keys.remove("prompt")
            data__prompt = data["prompt"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_text(data__prompt, custom_formats, name_prefix)
        if "points" in data_keys:
            data_keys.remove("points")
            data__points = data["points"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_points(data__points, custom_formats, name_prefix)
        if "feedback" in data_keys:
            data_keys.remove("feedback")
            data__feedback = data["feedback"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_feedback(data__feedback, custom_formats, name_prefix)
        if "choices" in data_keys:
            data_keys.remove("choices")
            data__choices = data["choices"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_choices(data__choices, custom_formats, name_prefix)
        if data_keys:
            raise Invalid
    return data

def validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_section(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        if 'id' not in data or 'title' not in data or 'questions' not in data:
            raise Invalid
        data_keys = set(data.keys())
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_identifier(data__id, custom_formats, name_prefix)
        if "title" in data_keys:
            data_keys.remove("title")
            data__title = data["title"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__title, custom_formats, name_prefix)
        if "instructions" in data_keys:
            data_keys.remove("instructions")
            data__instructions = data["instructions"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_text(data__instructions, custom_formats, name_prefix)
        if "questions" in data_keys:
            data_keys.remove("questions")
            data__questions = data["questions"]
            if not isinstance(data__questions, (list, tuple)):
                raise Invalid
            data__questions_is_list = isinstance(data__questions, (list, tuple))
            if data__questions_is_list:
                data__questions_len = len(data__questions)
                if data__questions_len < 1:
                    raise Invalid
                for data__questions_x, data__questions_item in enumerate(data__questions):
                    validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_question(data__questions_item, custom_formats, name_prefix)
        if data_keys:
            raise Invalid
    return data

def validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_settings(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "passingScore" in data_keys:
            data_keys.remove("passingScore")
            data__passingScore = data["passingScore"]
            if not isinstance(data__passingScore, (int, float, Decimal)) or isinstance(data__passingScore, bool):
                raise Invalid
            if isinstance(data__passingScore, (int, float, Decimal)) and not isinstance(data__passingScore, bool):
                if data__passingScore < 0:
                    raise Invalid
                if data__passingScore > 100:
                    raise Invalid
        if "shuffleChoices" in data_keys:
            data_keys.remove("shuffleChoices")
            data__shuffleChoices = data["shuffleChoices"]
            if not isinstance(data__shuffleChoices, (bool)):
                raise Invalid
        if "shuffleQuestions" in data_keys:
            data_keys.remove("shuffleQuestions")
            data__shuffleQuestions = data["shuffleQuestions"]
            if not isinstance(data__shuffleQuestions, (bool)):
                raise Invalid
        if "showFeedback" in data_keys:
            data_keys.remove("showFeedback")
            data__showFeedback = data["showFeedback"]
            if not (isinstance(data__showFeedback, str) and data__showFeedback == 'immediately' or isinstance(data__showFeedback, str) and data__showFeedback == 'after-submit' or isinstance(data__showFeedback, str) and data__showFeedback == 'never'):
                raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_metadata(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "authors" in data_keys:
            data_keys.remove("authors")
            data__authors = data["authors"]
            if not isinstance(data__authors, (list, tuple)):
                raise Invalid
            data__authors_is_list = isinstance(data__authors, (list, tuple))
            if data__authors_is_list:
                data__authors_len = len(data__authors)
                for data__authors_x, data__authors_item in enumerate(data__authors):
                    validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__authors_item, custom_formats, name_prefix)
        if "version" in data_keys:
            data_keys.remove("version")
            data__version = data["version"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__version, custom_formats, name_prefix)
        if "keywords" in data_keys:
            data_keys.remove("keywords")
            data__keywords = data["keywords"]
            if not isinstance(data__keywords, (list, tuple)):
                raise Invalid
            data__keywords_is_list = isinstance(data__keywords, (list, tuple))
            if data__keywords_is_list:
                data__keywords_len = len(data__keywords)
                for data__keywords_x, data__keywords_item in enumerate(data__keywords):
                    validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__keywords_item, custom_formats, name_prefix)
        if "license" in data_keys:
            data_keys.remove("license")
            data__license = data["license"]
            validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__license, custom_formats, name_prefix)
        if "source" in data_keys:
            data_keys.remove("source")
            data__source = data["source"]
            if not isinstance(data__source, (dict)):
                raise Invalid
            data__source_is_dict = isinstance(data__source, dict)
            if data__source_is_dict:
                data__source_len = len(data__source)
                if data__source_len < 1:
                    raise Invalid
                data__source_keys = set(data__source.keys())
                if "title" in data__source_keys:
                    data__source_keys.remove("title")
                    data__source__title = data__source["title"]
                    validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__source__title, custom_formats, name_prefix)
                if "author" in data__source_keys:
                    data__source_keys.remove("author")
                    data__source__author = data__source["author"]
                    validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__source__author, custom_formats, name_prefix)
                if "publisher" in data__source_keys:
                    data__source_keys.remove("publisher")
                    data__source__publisher = data__source["publisher"]
                    validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__source__publisher, custom_formats, name_prefix)
                if "date" in data__source_keys:
                    data__source_keys.remove("date")
                    data__source__date = data__source["date"]
                    validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__source__date, custom_formats, name_prefix)
                if "url" in data__source_keys:
                    data__source_keys.remove("url")
                    data__source__url = data__source["url"]
                    validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data__source__url, custom_formats, name_prefix)
                if data__source_keys:
                    raise Invalid
        if data_keys:
            raise Invalid
    return data

def validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_text(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if isinstance(data, str):
        if not REGEX_PATTERNS['\\S'].search(data):
            raise Invalid
    return data

def validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_line(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if isinstance(data, str):
        data_len = len(data)
        if data_len > 500:
            raise Invalid
        if not REGEX_PATTERNS['\\S'].search(data):
            raise Invalid
    return data

def validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_identifier(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise Invalid
    if isinstance(data, str):
        data_len = len(data)
        if data_len > 64:
            raise Invalid
        if not REGEX_PATTERNS['^[A-Za-z_][A-Za-z0-9_.-]*(?!\\n)$'].search(data):
            raise Invalid
    return data

validate = validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json
